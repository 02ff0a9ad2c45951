#include "refreshpolicy.h"

#include <algorithm>
#include <cmath>

namespace tokenkeeper {

qint64 RefreshPolicy::leadSeconds(qint64 lifetimeSeconds) const
{
    if (lifetimeSeconds <= 0) {
        return 0;
    }
    const auto byShare = qint64(std::llround(double(lifetimeSeconds) * leadFraction));
    const qint64 lead = std::max<qint64>(minLeadSeconds, byShare);
    // A 3-second token refreshed 60 s early would be refreshed forever.
    return std::min(lead, lifetimeSeconds / 2);
}

qint64 RefreshPolicy::jitterSeconds(qint64 leadSeconds, double random) const
{
    const double span = std::min<double>(maxJitterSeconds, double(leadSeconds) * jitterFraction);
    return qint64(std::floor(span * std::clamp(random, 0.0, 1.0)));
}

qint64 RefreshPolicy::backoffSeconds(int failures, int retryAfterSeconds, double random) const
{
    const int exponent = std::clamp(failures - 1, 0, 30);
    const double ceiling =
        std::min<double>(backoffCapSeconds, double(backoffFirstSeconds) * std::pow(2.0, exponent));
    const qint64 delay =
        qint64(std::ceil(ceiling / 2 + ceiling / 2 * std::clamp(random, 0.0, 1.0)));
    if (retryAfterSeconds >= 0) {
        return std::max<qint64>(delay, std::min(retryAfterSeconds, maxRetryAfterSeconds));
    }
    return std::max<qint64>(1, delay);
}

} // namespace tokenkeeper
