#include "credentials.h"

#include "profiles/profile.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

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
    if (json.contains(QStringLiteral("access_expires_at"))) {
        credentials.accessExpiresAt = QDateTime::fromSecsSinceEpoch(
            qint64(json.value(QStringLiteral("access_expires_at")).toDouble()), Qt::UTC);
    }
    if (json.contains(QStringLiteral("access_obtained_at"))) {
        credentials.accessObtainedAt = QDateTime::fromSecsSinceEpoch(
            qint64(json.value(QStringLiteral("access_obtained_at")).toDouble()), Qt::UTC);
    }
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

QStringList secretForms(const QStringList &secrets)
{
    QStringList forms;
    for (const QString &secret : secrets) {
        forms << secret << QString::fromLatin1(QUrl::toPercentEncoding(secret))
              << QString(secret).replace(u'/', QStringLiteral("\\/"));
    }
    forms.removeDuplicates();
    return forms;
}

QStringList secretForms(const Profile &profile, const Credentials &credentials)
{
    QStringList forms = secretForms(credentials.values());
    if (!credentials.password.isEmpty()) {
        forms << QString::fromLatin1(
            (profile.username + u':' + credentials.password).toUtf8().toBase64());
    }
    if (!credentials.clientSecret.isEmpty()) {
        forms << QString::fromLatin1(QByteArray(QUrl::toPercentEncoding(profile.clientId) + ':'
                                                + QUrl::toPercentEncoding(credentials.clientSecret))
                                         .toBase64());
    }
    forms.removeDuplicates();
    return forms;
}

} // namespace tokenkeeper
