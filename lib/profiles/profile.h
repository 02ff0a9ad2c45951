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

    QString id; // stable, generated; the keychain key and a lock file's name (checkId)
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
    // Why `id` cannot be a profile's id, or an empty string when it can. The
    // one rule for ids, since an id becomes a keychain key and a file name:
    // 1 to 64 of a-z, 0-9, '.', '_' and '-', the first a letter or digit (the
    // ids Tokenkeeper generates are lowercase UUIDs). Never "..", never a '/'.
    static QString checkId(const QString &id);
    // Why `url` cannot be a server or token URL, or an empty string when it
    // can: absolute, https (plain http only to this machine: localhost,
    // 127.0.0.0/8, ::1), no user info, query or fragment.
    static QString checkUrl(const QUrl &url);
};

} // namespace tokenkeeper
