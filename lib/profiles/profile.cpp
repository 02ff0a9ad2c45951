#include "profile.h"

#include "core/text.h"

#include <QHostAddress>
#include <QJsonValue>

namespace tokenkeeper {

QJsonObject Profile::toJson() const
{
    QJsonObject json {
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), name},
        {QStringLiteral("preset"), preset},
        {QStringLiteral("baseUrl"), baseUrl.toString()},
    };
    const auto putIfSet = [&json](const QString &key, const QString &value) {
        if (!value.isEmpty()) {
            json.insert(key, value);
        }
    };
    putIfSet(QStringLiteral("username"), username);
    putIfSet(QStringLiteral("clientId"), clientId);
    putIfSet(QStringLiteral("scope"), scope);
    putIfSet(QStringLiteral("tokenUrl"), tokenUrl.toString());
    if (lifetimeSeconds > 0) {
        json.insert(QStringLiteral("lifetime"), lifetimeSeconds);
    }
    if (clientAuth == ClientAuth::Body) {
        json.insert(QStringLiteral("clientAuth"), QStringLiteral("body"));
    }
    if (rememberPassword) {
        json.insert(QStringLiteral("rememberPassword"), true);
    }
    if (confidentialClient) {
        json.insert(QStringLiteral("confidentialClient"), true);
    }
    if (!params.isEmpty()) {
        QJsonObject p;
        for (auto it = params.begin(); it != params.end(); ++it) {
            p.insert(it.key(), it.value());
        }
        json.insert(QStringLiteral("params"), p);
    }
    return json;
}

Result<Profile> Profile::fromJson(const QJsonObject &json)
{
    Profile profile;
    profile.id = json.value(QStringLiteral("id")).toString();
    profile.name = json.value(QStringLiteral("name")).toString();
    profile.preset = json.value(QStringLiteral("preset")).toString();
    profile.baseUrl = QUrl(json.value(QStringLiteral("baseUrl")).toString(), QUrl::StrictMode);
    if (profile.id.isEmpty() || profile.name.isEmpty() || profile.preset.isEmpty()) {
        return Error(Error::Kind::Storage, QStringLiteral("it lacks its id, name or preset."));
    }
    if (const QString problem = checkName(profile.name); !problem.isEmpty()) {
        return Error(Error::Kind::Storage, QStringLiteral("its name is refused: ") + problem);
    }
    if (const QString problem = checkId(profile.id); !problem.isEmpty()) {
        return Error(Error::Kind::Storage,
                     QStringLiteral("its id \"%1\" is not well-formed. %2")
                         .arg(printable(profile.id).left(80), problem));
    }
    if (const QString problem = checkUrl(profile.baseUrl); !problem.isEmpty()) {
        return Error(Error::Kind::Storage, QStringLiteral("its server URL is refused: ") + problem);
    }
    profile.username = json.value(QStringLiteral("username")).toString();
    profile.clientId = json.value(QStringLiteral("clientId")).toString();
    profile.scope = json.value(QStringLiteral("scope")).toString();
    const QString tokenUrl = json.value(QStringLiteral("tokenUrl")).toString();
    if (!tokenUrl.isEmpty()) {
        profile.tokenUrl = QUrl(tokenUrl, QUrl::StrictMode);
        if (const QString problem = checkUrl(profile.tokenUrl); !problem.isEmpty()) {
            return Error(Error::Kind::Storage,
                         QStringLiteral("its token URL is refused, as `--token-url` would be: ")
                             + problem);
        }
    }
    profile.lifetimeSeconds = qMax(0, json.value(QStringLiteral("lifetime")).toInt());
    profile.clientAuth = json.value(QStringLiteral("clientAuth")).toString() == u"body"
        ? ClientAuth::Body
        : ClientAuth::Basic;
    profile.rememberPassword = json.value(QStringLiteral("rememberPassword")).toBool();
    profile.confidentialClient = json.value(QStringLiteral("confidentialClient")).toBool();
    const QJsonObject params = json.value(QStringLiteral("params")).toObject();
    for (auto it = params.begin(); it != params.end(); ++it) {
        profile.params.insert(it.key(), it.value().toString());
    }
    return profile;
}

QString Profile::checkName(const QString &name)
{
    if (name.trimmed().isEmpty()) {
        return QStringLiteral("A profile needs a name.");
    }
    if (name != name.trimmed()) {
        return QStringLiteral("A profile name cannot start or end with spaces.");
    }
    if (name.startsWith(u'-')) {
        return QStringLiteral("A profile name cannot start with '-'.");
    }
    if (name.size() > 100) {
        return QStringLiteral("A profile name is at most 100 characters long.");
    }
    for (const QChar c : name) {
        if (c.category() == QChar::Other_Control) {
            return QStringLiteral("A profile name cannot hold control characters.");
        }
    }
    return {};
}

QString Profile::checkId(const QString &id)
{
    const auto allowed = [](QChar c, bool first) {
        return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')
            || (!first && (c == u'.' || c == u'_' || c == u'-'));
    };
    bool wellFormed = !id.isEmpty() && id.size() <= 64;
    for (qsizetype i = 0; wellFormed && i < id.size(); ++i) {
        wellFormed = allowed(id.at(i), i == 0);
    }
    if (wellFormed) {
        return {};
    }
    return QStringLiteral("An id is 1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a "
                          "letter or digit.");
}

QString Profile::checkUrl(const QUrl &url)
{
    if (!url.isValid() || url.host().isEmpty()) {
        return QStringLiteral("The URL must be absolute, like https://api.example.com.");
    }
    if (url.scheme() != u"https" && url.scheme() != u"http") {
        return QStringLiteral("The URL must start with https:// or http://.");
    }
    if (!url.userInfo().isEmpty()) {
        return QStringLiteral("Put no user name or password in the URL; Tokenkeeper asks for "
                              "them and keeps them in the keychain.");
    }
    if (url.hasQuery() || url.hasFragment()) {
        return QStringLiteral("The URL cannot have a query (?…) or fragment (#…).");
    }
    const QString host = url.host();
    if (url.scheme() == u"http" && host != u"localhost" && !QHostAddress(host).isLoopback()) {
        return QStringLiteral("Use https:// for %1: plain http:// would send passwords and "
                              "tokens unencrypted, so it is only for this machine (localhost, "
                              "127.0.0.1, [::1]).")
            .arg(host);
    }
    return {};
}

} // namespace tokenkeeper
