#include "epochtime.h"

#include <cmath>

namespace tokenkeeper {

std::optional<QDateTime> fromEpochSeconds(double seconds)
{
    constexpr double lastSecondOf9999 = 253402300799.0;
    if (!std::isfinite(seconds) || seconds < 0 || seconds > lastSecondOf9999) {
        return std::nullopt;
    }
    return QDateTime::fromSecsSinceEpoch(qint64(seconds), Qt::UTC);
}

} // namespace tokenkeeper
