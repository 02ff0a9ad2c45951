#pragma once

#include <QString>

namespace tokenkeeper {

// `text` with control characters turned into spaces and runs of white space
// folded, so what a server sent cannot steer the user's terminal.
QString printable(const QString &text);

} // namespace tokenkeeper
