#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace tokenkeeper {

struct Profile;

// Whom a keychain entry's secrets belong to, recorded in the entry itself:
// the preset, the origins of the server and token URLs, the user and the
// client. A profile edited by hand (or by another program) to another
// server or user no longer matches the record, and its old secrets are never
// sent anywhere (TokenService: LoginRequired, "log in again").
struct Account
{
    QString preset;
    QString server; // origin of the base URL: scheme://host[:port]
    QString tokenServer; // origin of the token URL; empty: the preset's own
    QString user;
    QString client;

    static Account of(const Profile &profile);
    QJsonObject toJson() const;
    static Account fromJson(const QJsonObject &json);
    // For a message: user "alice" at https://api.example.com (sensu).
    QString describe() const;

    friend bool operator==(const Account &, const Account &) = default;
};

// The secrets of one profile, as one keychain entry (so a rotated refresh
// token and the access token that goes with it are written in one step).
// Held in memory only while needed; never written anywhere but the keychain.
struct Credentials
{
    QString password; // only when the user asked to remember it
    QString clientSecret; // client credentials presets
    QString refreshToken; // refresh token or pasted user token
    // The current access token, its expiry, when it came and where its
    // lifetime came from (TokenSet::lifetimeSourceName), so that the next
    // run reuses it while it is valid; Sensu's refresh needs it as Bearer.
    QString accessToken;
    QDateTime accessExpiresAt;
    QDateTime accessObtainedAt;
    QString accessLifetimeSource;
    // Refreshes with this refresh token whose request reached the server but
    // whose answer was lost: the server may have rotated it in an answer we
    // never saw. It is sent at most once more (TokenService::renew).
    int lostAnswers = 0;
    // Whom these secrets belong to. Absent in entries written before
    // Tokenkeeper recorded it: TokenService adopts such an entry for the
    // profile as it is, and the next write records it.
    std::optional<Account> account;

    bool isEmpty() const
    {
        return password.isEmpty() && clientSecret.isEmpty() && refreshToken.isEmpty();
    }
    QByteArray toJson() const;
    static std::optional<Credentials> fromJson(const QByteArray &json);

    // Every non-empty secret, for redaction.
    QStringList values() const;

    friend bool operator==(const Credentials &, const Credentials &) = default;
};

// An access token and what we know of it.
struct TokenSet
{
    enum class LifetimeSource { ExpiresAt, ExpiresIn, Jwt, Profile, Preset };

    QString accessToken;
    QString refreshToken; // as the server answered (empty: none in the answer)
    QDateTime obtainedAt;
    QDateTime expiresAt;
    LifetimeSource lifetimeSource = LifetimeSource::Preset;
    // Why this token was handed out though it is not what was asked for (its
    // renewal failed for a passing reason: TokenService::tokenForUse).
    QString warning;

    static QString lifetimeSourceName(LifetimeSource source);
    static std::optional<LifetimeSource> lifetimeSourceFromName(const QString &name);

    bool validFor(const QDateTime &now, qint64 seconds) const
    {
        return !accessToken.isEmpty() && expiresAt.isValid() && now.secsTo(expiresAt) > seconds;
    }
};

// Every form in which a secret of ours could come back in an answer or turn
// up in a request: as is, percent-encoded, JSON-escaped, and inside an HTTP
// Basic header (the profile's user or client with the password or secret).
QStringList secretForms(const Profile &profile, const Credentials &credentials);
// The same forms of each of `secrets` (access tokens), without the Basic ones.
QStringList secretForms(const QStringList &secrets);

} // namespace tokenkeeper
