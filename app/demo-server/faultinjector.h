#pragma once

#include "routekind.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace tokenkeeper::emulator {

// The fault the admin API asked for, and which requests it hits.
class FaultInjector final
{
public:
    enum class Mode {
        None,
        ServerError,
        RateLimited,
        Drop,
        Slow,
        Garbage,
        Html,
        Huge,
        Unauthorized,
        Late, // handled at once (a refresh rotates), the answer held back
        Lost, // handled at once (a refresh rotates), then no answer at all
        Injection, // 200 with an access token that carries CR LF and a header
        Words, // 400 invalid_grant whose description and message are `words` (markup, say)
    };
    enum class Target { Token, Api, All };

    struct Plan
    {
        Mode mode = Mode::None;
        Target target = Target::Token;
        qint64 count = 0; // faults still to inject; 0 = until cleared
        double probability = 1.0;
        qint64 retryAfter = 2; // seconds, for RateLimited
        qint64 delayMs = 30000; // for Slow
        QString words; // for Words
    };

    // {"mode", "target", "count", "probability", "retryAfter", "delayMs", "words"}; on an error
    // nothing changes and `error` says why.
    bool configure(const QJsonObject &json, QString *error);
    void clear();
    QJsonObject toJson() const;

    // Whether a request of this kind gets a fault, and which. Counts it down.
    std::optional<Plan> take(RouteKind kind);

private:
    Plan m_plan;
};

} // namespace tokenkeeper::emulator
