#pragma once

#include "authclient.h"
#include "credentials.h"
#include "preset.h"
#include "profiles/profile.h"
#include "secrets/profilelocks.h"
#include "tokenprovider.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace tokenkeeper {

class Clock;
class PresetRegistry;
class SecretStore;
class LoginFlow;
class RefreshSpending;
class SessionLogout;
class UnsavedCredentials;

// Hands out valid access tokens for profiles. It reads the profile's secrets
// from the keychain, refreshes or logs in again as the preset says, and keeps
// the access token in memory.
//
//   token(profile)
//     |- cached access token valid long enough? ----------------> hand it out
//     |- read keychain entry (bounded) -- nothing stored -------> LoginRequired
//     |- refresh with the refresh token, or log in again with the kept secret
//     |     |- rejected and a remembered password? -> log in with it
//     |     `- sent, but the answer lost? -> recorded in the keychain entry;
//     |          the refresh token is sent once more at most, then a login
//     |          (a remembered password) or LoginRequired saying what happened
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
// Given profile locks (a started engine: the agent, the desktop app), it
// holds the profile's lock from the start of a renewal (before the keychain
// is read) to its finish (after the store), and around a login's commit, a
// forget and each retried write of a refused rotation: the one lock rule of
// profilelocks.h. The command line holds the lock for its whole command
// instead, so its own service takes none.
//
// Rooms of its own: a login, cancellable until it is done (loginflow.h),
// spending a refresh token and its lost answers (refreshspending.h),
// what is kept after an answer (credentialrules.h), the rotations the
// keychain refused and their retries (unsavedcredentials.h), and the logout
// sequence (sessionlogout.h).
class TokenService final : public TokenProvider
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
    static QString secretKey(const QString &profileId);

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
    // As token(), for somebody who will use the token now (`token`,
    // `header`): when the renewal fails for a passing reason (network, 5xx,
    // 429) and the token in hand is still valid for a second or more, that
    // token, with a warning saying why and how long it has left. (Not for
    // the scheduler: it must see the failure and back off.)
    void tokenForUse(const Profile &profile, int minValidSeconds, QObject *context, TokenDone done);
    // Somebody's request with `rejectedToken` got a 401: renew once, and
    // everybody asking meanwhile gets the result of that one renewal.
    void renewRejected(const Profile &profile, const QString &rejectedToken, QObject *context,
                       TokenDone done) override;
    // The access token in memory, if any (whether still valid or not).
    std::optional<TokenSet> cached(const QString &profileId) const;
    // Drops the token and credentials in memory for a profile (the keychain
    // now holds other ones).
    void forgetCached(const QString &profileId);
    // Drops everything in memory for a profile, a rotation the keychain
    // refused included, and makes a renewal under way stale: it was logged
    // in or out elsewhere, removed, or now stands for another account.
    void forgetInMemory(const QString &profileId) { reset(profileId); }
    // Keeps secrets in `secrets` from now on (not owned); what is in memory
    // stays until forgetCached().
    void setSecretStore(SecretStore *secrets);
    SecretStore *secretStore() const { return m_secrets; }
    // Holds a profile's lock in `locks` (not owned) whenever it reads, spends
    // or writes the profile's secrets from now on; null: never.
    void setProfileLocks(ProfileLocks *locks);

    // Whether a renewal (network call or keychain write) is under way.
    bool busy() const;

    // Locks: drops every access token and every secret read from the
    // keychain (remembered passwords included) from memory, so that the next
    // use reads the keychain again and meets its own lock. Renewals under way
    // finish (a rotated refresh token is stored), answer those who asked, and
    // their result is dropped too. Kept: a rotation the keychain refused
    // (hasUnsavedRotation()), the only copy of the newest refresh token; it is
    // still written again until the keychain takes it. Answers the ids of the
    // profiles whose secrets were dropped.
    //
    //   lock() --> locked(): nothing in memory; the scheduler pauses
    //   token(), a login (a use) --> the keychain --> a token obtained
    //                                                   --> unlocked()
    QStringList lock();
    bool isLocked() const { return m_locked; }
    // The profiles whose newest refresh token is held in memory only.
    QStringList unsavedRotations() const;

    // A long-lived process (the agent) keeps the credentials it read or wrote
    // in memory, and keeps a rotation the keychain refused (see above).
    void setLongLived(bool longLived) { m_longLived = longLived; }
    // Who renews, for the request tester's timeline ("Tokenkeeper"; the
    // engine of an agent says "the agent").
    QString name() const override { return m_name; }
    void setName(const QString &name) { m_name = name; }
    bool hasUnsavedRotation(const QString &profileId) const;
    // Shutting down: one more try to write every rotation the keychain
    // refused so far; `done` hears which profiles still have one unsaved.
    void saveUnsaved(QObject *context, std::function<void(QStringList)> done);
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
    void locked(); // lock(): nothing read from the keychain is in memory
    void unlocked(); // the first use after lock() obtained a token

private:
    friend class LoginFlow; // its commit resets the profile's state
    friend class RefreshSpending; // it ends the flight and records lost answers

    // All the service holds for one profile. One renewal at a time runs for
    // it (its flight), and everybody who asks meanwhile waits for it:
    //
    //   Idle --token()--> Reading -----------> Renewing ----------> Storing
    //    ^                the keychain entry,  the stored access    changed
    //    |                or the credentials   token, else refresh  credentials to
    //    |                kept in memory       or log in again      the keychain
    //    |                    |                    |                    |
    //    `------------ finish(): every waiter hears the result <--------'
    //
    // reset() (a login's commit, a cancelled login, logout, forget) leaves a
    // flight under way to finish, but makes its result stale (generation).
    struct ProfileState
    {
        enum class Flight { Idle, Reading, Renewing, Storing };
        Flight flight = Flight::Idle;
        QList<std::pair<QPointer<QObject>, TokenDone>> waiters; // of the flight under way
        std::optional<TokenSet> token; // the access token in memory
        std::optional<Credentials> known; // long-lived: the newest credentials
        ProfileLocks::Lease lease; // with locks: held from Reading to finish()
        // Bumped by reset(): a renewal begun under an older one is stale, and
        // its result must not overwrite what a login or logout did meanwhile.
        quint64 generation = 0;
        // Locked while the flight was under way: its result is handed to
        // those who asked and then dropped.
        bool dropWhenDone = false;
    };
    // What reset() leaves of a profile's credentials in memory.
    enum class Keep {
        Nothing, // logged out or forgotten
        Unsaved, // a cancelled login: a rotation the keychain refused is still the newest
        Credentials, // a login's commit: its own write replaces them
    };

    Result<const Preset *> presetFor(const Profile &profile) const;
    // `locked` with the profile's lease, at once with an empty one when this
    // service takes no locks; an error when the lock could not be had.
    void underLock(const Profile &profile, std::function<void(Result<ProfileLocks::Lease>)> locked);
    const ProfileState *stateOf(const QString &profileId) const;
    quint64 generationOf(const QString &profileId) const;
    // Makes a renewal under way stale, drops the access token in memory and
    // the credentials `keep` does not name.
    void reset(const QString &profileId, Keep keep = Keep::Nothing);
    void readStored(const Profile &profile, const Preset &preset, int minValidSeconds);
    void renew(const Profile &profile, const Preset &preset, const Credentials &stored,
               int minValidSeconds);
    void remember(const QString &profileId, const TokenSet &tokens);
    void store(const Profile &profile, const Preset &preset, const Credentials &before,
               const Credentials &after, const TokenSet &tokens);
    void finish(const QString &profileId, const Result<TokenSet> &result);

    AuthClient *m_auth;
    SecretStore *m_secrets;
    const PresetRegistry &m_presets;
    const Clock &m_clock;
    QHash<QString, ProfileState> m_profiles; // profile id -> its state
    ProfileLocks *m_locks = nullptr;
    UnsavedCredentials *m_unsaved; // rotations the keychain refused
    SessionLogout *m_logout;
    LoginFlow *m_login;
    RefreshSpending *m_refresh; // a refresh token's spending and what comes of it
    bool m_longLived = false;
    bool m_locked = false;
    QString m_name = QStringLiteral("Tokenkeeper");
};

} // namespace tokenkeeper
