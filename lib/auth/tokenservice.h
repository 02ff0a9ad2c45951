#pragma once

#include "authclient.h"
#include "credentials.h"
#include "preset.h"
#include "profiles/profile.h"
#include "tokensource.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace tokenkeeper {

class Clock;
class PresetRegistry;
class SecretStore;

// Hands out valid access tokens for profiles. It reads the profile's secrets
// from the keychain, refreshes or logs in again as the preset says, and keeps
// the access token in memory.
//
//   token(profile)
//     |- cached access token valid long enough? ----------------> hand it out
//     |- read keychain entry (bounded) -- nothing stored -------> LoginRequired
//     |- refresh with the refresh token, or log in again with the kept secret
//     |     `- rejected and a remembered password? -> log in with it
//     |- rotated refresh token? write the keychain entry FIRST
//     |     `- write failed -> Keychain error (the old token is never reused)
//     `- cache and hand out
//
// Concurrent token() calls for one profile share one refresh: a refresh
// token is never sent twice (Sensu kills the session when it is).
//
// In a long-lived process (the agent), a rotated refresh token whose keychain
// write failed is kept in memory as the newest, the token is handed out, the
// failure is reported (keychainWriteFailed) and the write is retried with
// back-off; the old token in the keychain is never used while it is pending.
// A short-lived process (the command line) would lose it on exit, so there
// the failed write is an error.
//
// A login can be cancelled until it is done (the user closed the dialog):
//
//   login(profile, secret) -> ticket
//     |- the server answers ------------ cancelled? -> end that session quietly
//     |- note the keychain entry as it is (the earlier login, or none)
//     |- commit: a new generation, write the entry
//     |     `- cancelled meanwhile? -> put the earlier entry back, end the
//     |                                session quietly
//     `- cache, tokenObtained, done
//
// Until the commit a cancelled login changes nothing: a refresh under way for
// the profile stores its rotation as usual and the earlier login stays.
class TokenService final : public TokenSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenService)

public:
    using TokenDone = std::function<void(Result<TokenSet>)>;
    struct LogoutOutcome
    {
        bool serverSessionEnded = false;
        QString warning; // why the server session could not be ended
    };
    using LogoutDone = std::function<void(Result<LogoutOutcome>)>;
    using Done = std::function<void(Result<void>)>;
    // A login under way, for cancelLogin(); 0 is never one.
    using LoginTicket = quint64;

    TokenService(AuthClient *auth, SecretStore *secrets, const PresetRegistry &presets,
                 const Clock &clock, QObject *parent = nullptr);
    ~TokenService() override = default;

    // The keychain key of a profile's secrets.
    static QString secretKey(const Profile &profile);

    // Logs in with the secret the user typed (password, client secret or
    // pasted token) and stores what renewing needs.
    // `clientSecret` is for a confidential OAuth client whose preset's own
    // secret is something else (a password, a refresh token).
    LoginTicket login(const Profile &profile, const QString &secret, QObject *context,
                      TokenDone done, const QString &clientSecret = {});
    // Abandons a login under way: its `done` is never called, nothing of it
    // is stored or cached, nobody hears of its token, and a session the
    // server opened for it is ended quietly where the preset has a logout.
    // Answers whether the login was still under way.
    bool cancelLogin(LoginTicket ticket);
    // A token valid for at least `minValidSeconds` more seconds.
    void token(const Profile &profile, int minValidSeconds, QObject *context,
               TokenDone done) override;
    // Somebody's request with `rejectedToken` got a 401: renew once, and
    // everybody asking meanwhile gets the result of that one renewal.
    void reportUnauthorized(const Profile &profile, const QString &rejectedToken, QObject *context,
                            TokenDone done);
    // The access token in memory, if any (whether still valid or not).
    std::optional<TokenSet> cached(const QString &profileId) const;
    // Drops what is in memory for a profile (another process logged it in).
    void forgetCached(const QString &profileId);
    // Keeps secrets in `secrets` from now on (not owned); what is in memory
    // stays until forgetCached().
    void setSecretStore(SecretStore *secrets) { m_secrets = secrets; }

    // Whether a renewal (network call or keychain write) is under way.
    bool busy() const { return !m_inFlight.isEmpty(); }

    // A long-lived process (the agent) keeps the credentials it read or wrote
    // in memory, and keeps a rotation the keychain refused (see above).
    void setLongLived(bool longLived) { m_longLived = longLived; }
    bool hasUnsavedRotation(const QString &profileId) const
    {
        return m_unsaved.contains(profileId);
    }
    // Ends the server session where the preset can, then forgets the secrets.
    void logout(const Profile &profile, QObject *context, LogoutDone done);
    // Forgets the stored secrets without talking to the server.
    void forget(const Profile &profile, QObject *context, Done done);
    // Checks credentials the user typed without keeping anything: the
    // preset's test request, else a login whose tokens are dropped.
    // `clientSecret` as for login().
    void test(const Profile &profile, const QString &secret, QObject *context, Done done,
              const QString &clientSecret = {});
    // Whether test() can check this preset's credentials (a pasted refresh
    // token without a test request cannot be tried without using it up).
    static bool canTest(const Preset &preset)
    {
        return preset.test.has_value()
            || (preset.login.has_value() && preset.secretKind != SecretKind::RefreshToken);
    }

Q_SIGNALS:
    void keychainWriteFailed(const QString &profileId, const tokenkeeper::Error &error);
    void keychainWriteRecovered(const QString &profileId);
    void idle(); // the last renewal under way has finished

private:
    struct Flight
    {
        QList<std::pair<QPointer<QObject>, TokenDone>> waiters;
    };

    Result<const Preset *> presetFor(const Profile &profile) const;
    void readStored(const Profile &profile, const Preset &preset, int minValidSeconds);
    void renew(const Profile &profile, const Preset &preset, const Credentials &stored,
               int minValidSeconds);
    void retryUnsavedWrite(const Profile &profile, int attempt);
    void remember(const QString &profileId, const TokenSet &tokens);
    void store(const Profile &profile, const Preset &preset, const Credentials &before,
               const Credentials &after, const TokenSet &tokens);
    void finish(const QString &profileId, const Result<TokenSet> &result);
    void commitLogin(const Profile &profile, const Preset &preset, const Credentials &kept,
                     const TokenSet &fresh, LoginTicket ticket, const QPointer<QObject> &guard,
                     const TokenDone &done, const Result<std::optional<QByteArray>> &earlier);
    void endSessionQuietly(const Profile &profile, const Preset &preset, const Credentials &before,
                           const TokenSet &tokens);
    Credentials credentialsAfter(const Preset &preset, const Credentials &before,
                                 const TokenSet &tokens) const;

    AuthClient *m_auth;
    SecretStore *m_secrets;
    const PresetRegistry &m_presets;
    const Clock &m_clock;
    QHash<QString, TokenSet> m_cache; // profile id -> access token in memory
    QHash<QString, Flight> m_inFlight; // profile id -> waiters of the one refresh
    QHash<QString, Credentials> m_unsaved; // newest credentials the keychain refused
    QHash<QString, quint64> m_generation; // bumped by a login's commit and by logout
    QHash<LoginTicket, QString> m_logins; // logins under way -> profile id
    LoginTicket m_lastLogin = 0;
    QHash<QString, Credentials> m_known; // long-lived: the newest credentials
    bool m_longLived = false;
};

} // namespace tokenkeeper
