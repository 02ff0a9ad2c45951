#include "profilestatus.h"

namespace tokenkeeper {

QString ProfileStatus::stateName(State state)
{
    switch (state) {
    case State::LoggedOut:
        return QStringLiteral("logged-out");
    case State::Valid:
        return QStringLiteral("valid");
    case State::Refreshing:
        return QStringLiteral("refreshing");
    case State::BackingOff:
        return QStringLiteral("backing-off");
    case State::LoginRequired:
        return QStringLiteral("login-required");
    }
    return {};
}

QJsonObject ProfileStatus::toJson() const
{
    QJsonObject json {{QStringLiteral("state"), stateName(state)}};
    const auto putTime = [&json](const QString &key, const QDateTime &time) {
        if (time.isValid()) {
            json.insert(key, time.toUTC().toString(Qt::ISODate));
        }
    };
    putTime(QStringLiteral("valid_until"), validUntil);
    putTime(QStringLiteral("obtained_at"), obtainedAt);
    putTime(QStringLiteral("next_refresh"), nextRefresh);
    putTime(QStringLiteral("last_refresh"), lastRefresh);
    if (!reason.isEmpty()) {
        json.insert(QStringLiteral("reason"), reason);
    }
    if (lastError) {
        json.insert(QStringLiteral("last_error"),
                    QJsonObject {{QStringLiteral("kind"), Error::kindName(lastError->kind())},
                                 {QStringLiteral("message"), lastError->message()}});
    }
    if (failures > 0) {
        json.insert(QStringLiteral("failures"), failures);
    }
    if (keychainWritePending) {
        json.insert(QStringLiteral("keychain_write_pending"), true);
    }
    return json;
}

} // namespace tokenkeeper
