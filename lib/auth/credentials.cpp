#include "credentials.h"

#include "core/epochtime.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace tokenkeeper {

QByteArray Credentials::toJson() const
{
    QJsonObject json {{QStringLiteral("v"), 1}};
    const auto put = [&json](const QString &key, const QString &value) {
        if (!value.isEmpty()) {
            json.insert(key, value);
        }
    };
    put(QStringLiteral("password"), password);
    put(QStringLiteral("client_secret"), clientSecret);
    put(QStringLiteral("refresh_token"), refreshToken);
    put(QStringLiteral("access_token"), accessToken);
    if (!accessToken.isEmpty() && accessExpiresAt.isValid()) {
        json.insert(QStringLiteral("access_expires_at"), accessExpiresAt.toSecsSinceEpoch());
    }
    if (!accessToken.isEmpty() && accessObtainedAt.isValid()) {
        json.insert(QStringLiteral("access_obtained_at"), accessObtainedAt.toSecsSinceEpoch());
    }
    if (!accessToken.isEmpty()) {
        put(QStringLiteral("access_lifetime_source"), accessLifetimeSource);
    }
    if (lostAnswers > 0) {
        json.insert(QStringLiteral("lost_answers"), lostAnswers);
    }
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

std::optional<Credentials> Credentials::fromJson(const QByteArray &data)
{
    const QJsonDocument document = QJsonDocument::fromJson(data);
    if (!document.isObject()) {
        return std::nullopt;
    }
    const QJsonObject json = document.object();
    Credentials credentials;
    credentials.password = json.value(QStringLiteral("password")).toString();
    credentials.clientSecret = json.value(QStringLiteral("client_secret")).toString();
    credentials.refreshToken = json.value(QStringLiteral("refresh_token")).toString();
    credentials.accessToken = json.value(QStringLiteral("access_token")).toString();
    credentials.accessExpiresAt =
        fromEpochSeconds(json.value(QStringLiteral("access_expires_at")).toDouble(-1))
            .value_or(QDateTime());
    credentials.accessObtainedAt =
        fromEpochSeconds(json.value(QStringLiteral("access_obtained_at")).toDouble(-1))
            .value_or(QDateTime());
    credentials.accessLifetimeSource =
        json.value(QStringLiteral("access_lifetime_source")).toString();
    credentials.lostAnswers = qMax(0, json.value(QStringLiteral("lost_answers")).toInt());
    return credentials;
}

QStringList Credentials::values() const
{
    QStringList list;
    for (const QString *value : {&password, &clientSecret, &refreshToken, &accessToken}) {
        if (!value->isEmpty()) {
            list.append(*value);
        }
    }
    return list;
}

QString TokenSet::lifetimeSourceName(LifetimeSource source)
{
    switch (source) {
    case LifetimeSource::ExpiresAt:
        return QStringLiteral("expires_at");
    case LifetimeSource::ExpiresIn:
        return QStringLiteral("expires_in");
    case LifetimeSource::Jwt:
        return QStringLiteral("jwt");
    case LifetimeSource::Profile:
        return QStringLiteral("profile");
    case LifetimeSource::Preset:
        return QStringLiteral("preset");
    }
    return {};
}

std::optional<TokenSet::LifetimeSource> TokenSet::lifetimeSourceFromName(const QString &name)
{
    for (const auto source :
         {LifetimeSource::ExpiresAt, LifetimeSource::ExpiresIn, LifetimeSource::Jwt,
          LifetimeSource::Profile, LifetimeSource::Preset}) {
        if (lifetimeSourceName(source) == name) {
            return source;
        }
    }
    return std::nullopt;
}

} // namespace tokenkeeper
