#pragma once

#include <QtGlobal>

namespace tokenkeeper {

// When to refresh and how to back off. Pure arithmetic; the random part is
// passed in as a number in [0, 1) so tests can pin it.
struct RefreshPolicy
{
    int minLeadSeconds = 60; // refresh at least this long before expiry...
    double leadFraction = 0.2; // ...or this share of the lifetime, whichever is larger,
                               // but never earlier than half-way through the lifetime
    double jitterFraction = 0.1; // refresh up to this share of the lead earlier still
    int maxJitterSeconds = 30;
    int backoffFirstSeconds = 2; // transient failures: 2, 4, 8, ... seconds
    int backoffCapSeconds = 300; // at most five minutes apart
    int maxRetryAfterSeconds = 3600; // a server's Retry-After, believed up to an hour

    // Seconds before expiry at which a token of `lifetimeSeconds` is refreshed.
    qint64 leadSeconds(qint64 lifetimeSeconds) const;
    // Extra seconds earlier, for `random` in [0, 1).
    qint64 jitterSeconds(qint64 leadSeconds, double random) const;
    // The delay before retry number `failures` (1 for the first failure),
    // for `random` in [0, 1): "equal jitter", half fixed, half random.
    // A Retry-After (>= 0) is honoured as the least delay.
    qint64 backoffSeconds(int failures, int retryAfterSeconds, double random) const;
};

} // namespace tokenkeeper
