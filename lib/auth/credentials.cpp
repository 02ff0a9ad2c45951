#include "credentials.h"

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
    if (json.contains(QStringLiteral("access_expires_at"))) {
        credentials.accessExpiresAt = QDateTime::fromSecsSinceEpoch(
            qint64(json.value(QStringLiteral("access_expires_at")).toDouble()), Qt::UTC);
    }
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

} // namespace tokenkeeper
