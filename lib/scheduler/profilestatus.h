#pragma once

#include "core/error.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace tokenkeeper {

// One profile's state as the UI and the command line show it.
struct ProfileStatus
{
    enum class State {
        LoggedOut, // nothing stored
        Valid, // a token, valid until `validUntil`; next refresh at `nextRefresh`
        Refreshing, // a renewal is under way
        BackingOff, // the last renewal failed transiently; next try at `nextRefresh`
        LoginRequired, // the server rejected the credentials: `reason`
    };

    State state = State::LoggedOut;
    QDateTime validUntil; // expiry of the token in memory (may be past)
    QDateTime obtainedAt; // when that token was obtained
    QDateTime nextRefresh; // the scheduler's next renewal (or retry)
    QDateTime lastRefresh; // when the last renewal succeeded
    QString reason; // LoginRequired: the server's words; BackingOff: the last error
    std::optional<Error> lastError;
    int failures = 0; // transient failures in a row
    bool keychainWritePending = false;

    static QString stateName(State state);
    QJsonObject toJson() const;
};

} // namespace tokenkeeper
