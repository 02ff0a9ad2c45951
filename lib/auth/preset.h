#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace tokenkeeper {

// The long-lived secret a preset asks the user for at login.
enum class SecretKind {
    Password, // username + password; kept only when the user asks to remember it
    ClientSecret, // client ID + secret; kept, since renewal needs it (no refresh token)
    RefreshToken, // a pasted user/refresh token (Squirro's user token); kept
};

// One HTTP request of a login protocol, described as data (see docs/presets.md).
struct PresetRequest
{
    enum class Auth {
        None,
        Basic, // HTTP Basic with username:password
        Bearer, // Authorization: Bearer <current access token>
        Client, // OAuth 2.0 client authentication: Basic or body, per profile
    };
    enum class Body { None, Form, Json };

    // A status (and optionally an OAuth "error" code) that means "log in again".
    struct LoginAgain
    {
        int status = 0;
        QString error; // empty: any
    };

    QByteArray method = QByteArrayLiteral("POST");
    QString path; // relative to the profile's base URL
    bool tokenEndpoint = true; // the profile's token-URL override replaces the URL
    Auth auth = Auth::None;
    Body body = Body::None;
    QList<std::pair<QString, QString>> fields; // name -> template with ${variables}
    QList<LoginAgain> loginAgain;
};

// Where the answer keeps what we need: dotted paths into the JSON body.
struct PresetResponse
{
    QString accessToken = QStringLiteral("access_token");
    QString refreshToken = QStringLiteral("refresh_token");
    QString expiresAt = QStringLiteral("expires_at");
    QString expiresIn = QStringLiteral("expires_in");
    QStringList message = {QStringLiteral("error_description"), QStringLiteral("message"),
                           QStringLiteral("Message"), QStringLiteral("error"),
                           QStringLiteral("reason")};
};

// A login protocol as data: built-in ones come from resources/presets/*.json,
// users add their own files without recompiling. Presets are values, not
// subclasses: the engine interprets them.
class Preset final
{
public:
    static Result<Preset> fromJson(const QJsonObject &json, const QString &origin);

    QString id;
    QString name;
    QString description;
    SecretKind secretKind = SecretKind::Password;
    QString secretLabel; // "Password", "Client secret", "User token"
    QString secretHint; // where the user finds it
    QStringList requiredFields; // profile fields: username, client_id, client_secret (the client
                                // is confidential: login asks for its secret), scope, token_url
    QStringList optionalFields;
    QStringList params; // extra per-profile values, used as ${param.NAME}
    int defaultLifetimeSeconds = 600; // when neither the answer nor the JWT says
    std::optional<PresetRequest> login; // absent: the secret itself is the refresh token
    std::optional<PresetRequest> refresh; // absent: renew by logging in again
    std::optional<PresetRequest> logout; // ends the server session, where there is one
    std::optional<PresetRequest> test; // checks credentials without keeping a session
    PresetResponse response;
    QString apiPath; // a protected endpoint to try the token on
    QString origin; // the file it came from, for messages

    // Whether refreshing needs the last access token as well (Sensu).
    bool refreshNeedsAccessToken() const
    {
        return refresh && refresh->auth == PresetRequest::Auth::Bearer;
    }
    // Whether the keychain keeps a refresh token (else the secret itself).
    bool keepsRefreshToken() const { return refresh.has_value() || !login.has_value(); }
    bool needs(const QString &field) const { return requiredFields.contains(field); }
    bool uses(const QString &field) const
    {
        return requiredFields.contains(field) || optionalFields.contains(field);
    }
};

} // namespace tokenkeeper
