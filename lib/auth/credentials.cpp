#include "credentials.h"

#include "core/epochtime.h"
#include "core/text.h"
#include "profiles/profile.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace tokenkeeper {

namespace {

// scheme://host[:port], the port only when not the scheme's default.
QString originOf(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty()) {
        return {};
    }
    QUrl origin;
    origin.setScheme(url.scheme().toLower());
    origin.setHost(url.host());
    const int defaultPort = origin.scheme() == u"https" ? 443 : 80;
    if (url.port() != -1 && url.port() != defaultPort) {
        origin.setPort(url.port());
    }
    return origin.toString();
}

} // namespace

Account Account::of(const Profile &profile)
{
    return {profile.preset, originOf(profile.baseUrl), originOf(profile.tokenUrl), profile.username,
            profile.clientId};
}

QJsonObject Account::toJson() const
{
    QJsonObject json {{QStringLiteral("preset"), preset}, {QStringLiteral("server"), server}};
    const auto put = [&json](const QString &key, const QString &value) {
        if (!value.isEmpty()) {
            json.insert(key, value);
        }
    };
    put(QStringLiteral("token_server"), tokenServer);
    put(QStringLiteral("user"), user);
    put(QStringLiteral("client"), client);
    return json;
}

Account Account::fromJson(const QJsonObject &json)
{
    const auto text = [&json](const char *key) {
        return json.value(QLatin1String(key)).toString();
    };
    return {text("preset"), text("server"), text("token_server"), text("user"), text("client")};
}

QString Account::describe() const
{
    QString who;
    if (!user.isEmpty()) {
        who = QStringLiteral("user \"%1\"").arg(printable(user));
    }
    if (!client.isEmpty()) {
        const QString clientText = QStringLiteral("client \"%1\"").arg(printable(client));
        who = who.isEmpty() ? clientText : who + QStringLiteral(" (") + clientText + u')';
    }
    QString text = who.isEmpty() ? server : who + QStringLiteral(" at ") + server;
    if (!tokenServer.isEmpty() && tokenServer != server) {
        text += QStringLiteral(", tokens from ") + tokenServer;
    }
    return text + QStringLiteral(" (%1)").arg(printable(preset));
}

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
    if (account) {
        json.insert(QStringLiteral("account"), account->toJson());
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
    if (const QJsonValue account = json.value(QStringLiteral("account")); account.isObject()) {
        credentials.account = Account::fromJson(account.toObject());
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
