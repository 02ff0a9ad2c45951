#pragma once

#include <QString>

namespace tokenkeeper::terminal {

// Whether standard input is an interactive terminal.
bool stdinIsTerminal();

// What readSecret() got.
struct SecretRead
{
    enum class Status {
        Read, // a line, in `secret`
        EndOfInput,
        Interrupted, // SIGINT or SIGTERM came first; it is left for the event loop
    };
    Status status = Status::EndOfInput;
    QString secret;
};

// Reads one secret: the first line of standard input when it is not a
// terminal, else a prompt on stderr with echo turned off. The line ending is
// stripped; nothing is echoed or logged. A SIGINT or SIGTERM while it waits
// ends the wait with the terminal as it was: when the signals are blocked
// (the command line's SignalWatcher) the signal stays pending for it, else
// its default action follows once echo is back.
SecretRead readSecret(const QString &prompt);

} // namespace tokenkeeper::terminal
