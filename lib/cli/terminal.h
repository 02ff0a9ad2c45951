#pragma once

#include <QString>

#include <optional>

namespace tokenkeeper::terminal {

// Whether standard input is an interactive terminal.
bool stdinIsTerminal();

// Reads one secret: the first line of standard input when it is not a
// terminal, else a prompt on stderr with echo turned off. nullopt at end of
// input. The line ending is stripped; nothing is echoed or logged.
std::optional<QString> readSecret(const QString &prompt);

} // namespace tokenkeeper::terminal
