#pragma once

#include <QDateTime>

#include <optional>

namespace tokenkeeper {

// A time given as seconds since 1970 by someone else (a server's expires_at,
// a JWT's exp, a keychain entry): a UTC date when it is a finite number in
// 1970..9999, else nothing. A double out of qint64's range is never cast.
std::optional<QDateTime> fromEpochSeconds(double seconds);

} // namespace tokenkeeper
