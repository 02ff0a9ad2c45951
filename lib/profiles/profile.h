#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QUrl>

namespace tokenkeeper {

// A server profile as the user configured it. It never holds a secret: the
// secrets are in the keychain under the profile's id.
struct Profile
{
    enum class ClientAuth { Basic, Body }; // OAuth 2.0 client authentication

    QString id; // stable, generated; the keychain key
    QString name;
    QString preset;
    QUrl baseUrl;
    QString username;
    QString clientId;
    QString scope;
    QUrl tokenUrl; // replaces the preset's token endpoint when set
    int lifetimeSeconds = 0; // 0: the preset's default when the server does not say
    ClientAuth clientAuth = ClientAuth::Basic;
    bool rememberPassword = false;
    bool confidentialClient = false; // the OAuth client has a secret: login asks for it
    QMap<QString, QString> params; // extra values a preset asks for (${param.NAME})

    bool operator==(const Profile &other) const = default;

    QJsonObject toJson() const;
    static Result<Profile> fromJson(const QJsonObject &json);

    // Why `name` cannot name a profile, or an empty string when it can.
    static QString checkName(const QString &name);
    // Why `url` cannot be a server URL, or an empty string when it can.
    static QString checkUrl(const QUrl &url);
};

} // namespace tokenkeeper
