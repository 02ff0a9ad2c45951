#include "tokenservice.h"

#include "core/clock.h"
#include "core/logging.h"
#include "core/text.h"
#include "credentialrules.h"
#include "loginflow.h"
#include "presetregistry.h"
#include "refreshspending.h"
#include "secrets/secretstore.h"
#include "sessionlogout.h"
#include "unsavedcredentials.h"

#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace tokenkeeper {

namespace {

Error notLoggedIn(const Profile &profile)
{
    return {Error::Kind::NotLoggedIn,
            QStringLiteral("Not logged in to \"%1\": nothing is stored in the keychain.")
                .arg(profile.name)};
}

Error otherAccount(const Profile &profile, const Account &stored, const Account &current)
{
    return {Error::Kind::LoginRequired,
            QStringLiteral("The secret stored for \"%1\" belongs to %2, but the profile now "
                           "names %3 (its profile was changed outside Tokenkeeper). Nothing was "
                           "sent; log in again to replace the stored secret.")
                .arg(profile.name, stored.describe(), current.describe())};
}

template<typename Callback, typename Value> void later(QObject *context, Callback done, Value value)
{
    QTimer::singleShot(0, context,
                       [done = std::move(done), value = std::move(value)] { done(value); });
}

} // namespace

TokenService::TokenService(AuthClient *auth, SecretStore *secrets, const PresetRegistry &presets,
                           const Clock &clock, QObject *parent)
    : TokenProvider(parent)
    , m_auth(auth)
    , m_secrets(secrets)
    , m_presets(presets)
    , m_clock(clock)
    , m_unsaved(new UnsavedCredentials(secrets, this))
    , m_logout(new SessionLogout(*this, auth, this))
    , m_login(new LoginFlow(*this, auth, *m_logout, this))
    , m_refresh(new RefreshSpending(*this, auth, this))
{
    connect(m_unsaved, &UnsavedCredentials::writeFailed, this, &TokenService::keychainWriteFailed);
    connect(m_unsaved, &UnsavedCredentials::writeRecovered, this,
            &TokenService::keychainWriteRecovered);
}

void TokenService::setSecretStore(SecretStore *secrets)
{
    m_secrets = secrets;
    m_unsaved->setSecretStore(secrets);
}

void TokenService::setProfileLocks(ProfileLocks *locks)
{
    m_locks = locks;
    m_unsaved->setProfileLocks(locks);
}

void TokenService::underLock(const Profile &profile,
                             std::function<void(Result<ProfileLocks::Lease>)> locked)
{
    ProfileLocks::acquireIfLocking(m_locks, profile.id, profile.name, this, std::move(locked));
}

QString TokenService::secretKey(const Profile &profile)
{
    return secretKey(profile.id);
}

QString TokenService::secretKey(const QString &profileId)
{
    return QStringLiteral("profile/") + profileId;
}

const TokenService::ProfileState *TokenService::stateOf(const QString &profileId) const
{
    const auto it = m_profiles.constFind(profileId);
    return it == m_profiles.constEnd() ? nullptr : &*it;
}

quint64 TokenService::generationOf(const QString &profileId) const
{
    const ProfileState *state = stateOf(profileId);
    return state ? state->generation : 0;
}

void TokenService::reset(const QString &profileId, Keep keep)
{
    ProfileState &state = m_profiles[profileId];
    ++state.generation;
    state.dropWhenDone = false; // the stale flight's result is kept out anyway
    state.token.reset();
    if (keep != Keep::Credentials) {
        state.known.reset();
    }
    if (keep == Keep::Nothing) {
        m_unsaved->drop(profileId);
    }
}

bool TokenService::busy() const
{
    return std::any_of(m_profiles.cbegin(), m_profiles.cend(), [](const ProfileState &state) {
        return state.flight != ProfileState::Flight::Idle;
    });
}

bool TokenService::hasUnsavedRotation(const QString &profileId) const
{
    return m_unsaved->has(profileId);
}

QStringList TokenService::unsavedRotations() const
{
    return m_unsaved->profileIds();
}

QStringList TokenService::lock()
{
    QStringList dropped;
    for (auto it = m_profiles.begin(); it != m_profiles.end(); ++it) {
        ProfileState &state = *it;
        if (state.token || state.known) {
            dropped.append(it.key());
        }
        state.token.reset();
        state.known.reset();
        // Not a reset(): a renewal under way must still store what it spent.
        state.dropWhenDone = state.flight != ProfileState::Flight::Idle;
    }
    m_locked = true;
    qCInfo(lcAuth) << "locked: dropped the secrets of" << dropped.size()
                   << "profile(s) from memory";
    Q_EMIT locked();
    return dropped;
}

Result<const Preset *> TokenService::presetFor(const Profile &profile) const
{
    // The id is a keychain key and a lock file's name: ProfileStore refuses
    // an ill-formed one, and nothing here takes one that slipped past it. (A
    // profile not saved yet, tested from the editor, has none.)
    if (const QString problem = Profile::checkId(profile.id);
        !profile.id.isEmpty() && !problem.isEmpty()) {
        return Error(Error::Kind::Storage,
                     QStringLiteral("Profile \"%1\" cannot be used: its id is not well-formed. %2")
                         .arg(profile.name, problem));
    }
    const Preset *preset = m_presets.find(profile.preset);
    if (!preset) {
        return Error(Error::Kind::Usage,
                     QStringLiteral("Profile \"%1\" uses the preset \"%2\", which is not "
                                    "installed. `tokenkeeper presets` lists the installed ones.")
                         .arg(profile.name, profile.preset));
    }
    return preset;
}

TokenService::LoginTicket TokenService::login(const Profile &profile, const QString &secret,
                                              QObject *context, TokenDone done,
                                              const QString &clientSecret)
{
    const auto preset = presetFor(profile);
    if (!preset) {
        later(context, std::move(done), Result<TokenSet>(preset.error()));
        return 0; // never a login under way
    }
    Credentials typed = credentialrules::typed((*preset)->secretKind, secret, clientSecret);
    typed.account = Account::of(profile); // recorded with the secrets
    return m_login->start(profile, **preset, typed, context, std::move(done));
}

bool TokenService::cancelLogin(LoginTicket ticket)
{
    return m_login->cancel(ticket);
}

void TokenService::token(const Profile &profile, int minValidSeconds, QObject *context,
                         TokenDone done)
{
    const auto preset = presetFor(profile);
    if (!preset) {
        later(context, std::move(done), Result<TokenSet>(preset.error()));
        return;
    }
    ProfileState &state = m_profiles[profile.id];
    if (minValidSeconds != forceRenewal && state.token
        && state.token->validFor(m_clock.now(), minValidSeconds)) {
        later(context, std::move(done), Result<TokenSet>(*state.token));
        return;
    }
    state.waiters.append({QPointer<QObject>(context), std::move(done)});
    if (state.flight != ProfileState::Flight::Idle) {
        // The renewal under way answers everybody; asked for after a lock,
        // its result is a use's, and kept.
        state.dropWhenDone = false;
        return;
    }
    state.flight = ProfileState::Flight::Reading;
    underLock(
        profile,
        [this, profile, presetCopy = **preset, minValidSeconds](Result<ProfileLocks::Lease> lease) {
            if (!lease) {
                finish(profile.id, lease.error());
                return;
            }
            m_profiles[profile.id].lease = lease.value();
            readStored(profile, presetCopy, minValidSeconds);
        });
}

void TokenService::tokenForUse(const Profile &profile, int minValidSeconds, QObject *context,
                               TokenDone done)
{
    token(profile, minValidSeconds, context,
          [this, profile, done = std::move(done)](Result<TokenSet> result) {
              const QDateTime now = m_clock.now();
              const auto held = cached(profile.id);
              // A session whose answers were lost is not renewed, but the token
              // in hand still works until it runs out.
              if (result || !(result.error().isTransient() || result.error().answerLost()) || !held
                  || !held->validFor(now, 1)) {
                  done(std::move(result));
                  return;
              }
              TokenSet stillValid = *held;
              stillValid.warning = QStringLiteral("Renewing the token of \"%1\" failed (%2); "
                                                  "this one is still valid for %3 s.")
                                       .arg(profile.name, quoted(result.error().message()))
                                       .arg(now.secsTo(held->expiresAt));
              done(stillValid);
          });
}

void TokenService::readStored(const Profile &profile, const Preset &preset, int minValidSeconds)
{
    const ProfileState &state = m_profiles[profile.id];
    if (const auto unsaved = m_unsaved->of(profile.id)) {
        // The keychain holds an older refresh token than this: never use it.
        renew(profile, preset, *unsaved, minValidSeconds);
        return;
    }
    if (state.known) {
        // A long-lived process keeps what it read: the keychain answers one
        // call at a time, and a thousand renewals must not queue on it.
        renew(profile, preset, Credentials(*state.known), minValidSeconds);
        return;
    }
    const quint64 generation = state.generation;
    m_secrets->read(
        secretKey(profile), this,
        [this, profile, presetCopy = preset, minValidSeconds,
         generation](Result<std::optional<QByteArray>> read) {
            if (generationOf(profile.id) != generation) {
                // Logged in or out while the keychain answered: read what is there now.
                readStored(profile, presetCopy, minValidSeconds);
                return;
            }
            if (!read) {
                finish(profile.id, read.error());
                return;
            }
            if (!read->has_value()) {
                finish(profile.id, notLoggedIn(profile));
                return;
            }
            auto stored = Credentials::fromJson(**read);
            if (!stored) {
                finish(profile.id,
                       Error(Error::Kind::LoginRequired,
                             QStringLiteral("The keychain entry of \"%1\" is damaged. Log in "
                                            "again to replace it.")
                                 .arg(profile.name)));
                return;
            }
            if (stored->isEmpty() && stored->accessToken.isEmpty()) {
                finish(profile.id, notLoggedIn(profile));
                return;
            }
            // The secrets go only to the account they were stored for. An
            // entry of an earlier version records none: it is adopted for the
            // profile as it is (those versions forgot the secrets on every
            // change of account they made), and the next write records it.
            const Account current = Account::of(profile);
            if (!stored->account) {
                stored->account = current;
            } else if (*stored->account != current) {
                qCWarning(lcAuth) << "the keychain entry of" << profile.name
                                  << "belongs to another account; not used";
                finish(profile.id, otherAccount(profile, *stored->account, current));
                return;
            }
            if (m_longLived) {
                m_profiles[profile.id].known = *stored;
            }
            renew(profile, presetCopy, *stored, minValidSeconds);
        });
}

void TokenService::renew(const Profile &profile, const Preset &preset, const Credentials &stored,
                         int minValidSeconds)
{
    m_profiles[profile.id].flight = ProfileState::Flight::Renewing;
    // The last access token is kept with the secrets: use it while valid.
    TokenSet kept;
    kept.accessToken = stored.accessToken;
    kept.expiresAt = stored.accessExpiresAt;
    kept.obtainedAt = stored.accessObtainedAt;
    kept.lifetimeSource = TokenSet::lifetimeSourceFromName(stored.accessLifetimeSource)
                              .value_or(TokenSet::LifetimeSource::ExpiresAt);
    if (minValidSeconds != forceRenewal && kept.validFor(m_clock.now(), minValidSeconds)) {
        remember(profile.id, kept);
        finish(profile.id, kept);
        return;
    }
    // Not long enough, but still good for a while: in hand, should the
    // renewal fail for a passing reason (tokenForUse).
    if (ProfileState &state = m_profiles[profile.id];
        !state.token && kept.validFor(m_clock.now(), 1)) {
        state.token = kept;
    }
    const bool canRefresh = preset.refresh && !stored.refreshToken.isEmpty();
    const bool canLogin =
        preset.login && (!stored.password.isEmpty() || !stored.clientSecret.isEmpty());
    // A login or logout meanwhile makes this renewal's result stale: keep it out.
    const quint64 generation = generationOf(profile.id);
    const auto onTokens = [this, profile, preset, stored, generation](Result<TokenSet> tokens) {
        if (tokens && generationOf(profile.id) != generation) {
            const auto newer = cached(profile.id);
            finish(profile.id, newer ? Result<TokenSet>(*newer) : tokens);
            return;
        }
        if (!tokens) {
            finish(profile.id, tokens);
            return;
        }
        store(profile, preset, stored, credentialrules::after(preset, stored, *tokens), *tokens);
    };
    if (!canRefresh && !canLogin) {
        finish(profile.id,
               stored.accessToken.isEmpty()
                   ? notLoggedIn(profile)
                   : Error(Error::Kind::LoginRequired,
                           QStringLiteral("The access token of \"%1\" has run out and nothing "
                                          "is kept to renew it (no refresh token, no remembered "
                                          "password).")
                               .arg(profile.name)));
        return;
    }
    Q_EMIT renewing(profile.id);
    if (!canRefresh) {
        m_auth->login(profile, preset, stored, this, onTokens);
        return;
    }
    m_refresh->spend(profile, preset, stored, onTokens);
}

void TokenService::store(const Profile &profile, const Preset &preset, const Credentials &before,
                         const Credentials &after, const TokenSet &tokens)
{
    // A long-lived process hands its tokens out from memory: a new access
    // token alone is not worth a keychain write per renewal (1000 profiles
    // would queue 1000 writes), unless the next refresh needs it (Sensu).
    const bool onlyAccessChanged = after.password == before.password
        && after.clientSecret == before.clientSecret && after.refreshToken == before.refreshToken;
    if (after == before
        || (m_longLived && onlyAccessChanged && !preset.refreshNeedsAccessToken())) {
        if (m_longLived) {
            m_profiles[profile.id].known = after;
        }
        remember(profile.id, tokens);
        finish(profile.id, tokens);
        return;
    }
    // The rotated refresh token goes to the keychain before anybody sees the
    // new access token: if we handed it out first and then died, the next
    // refresh would reuse the old token and Sensu would end the session.
    const bool rotated = after.refreshToken != before.refreshToken;
    m_unsaved->drop(profile.id);
    m_profiles[profile.id].flight = ProfileState::Flight::Storing;
    m_secrets->write(secretKey(profile), after.toJson(), this,
                     [this, profile, after, tokens, rotated](Result<void> written) {
                         if (m_longLived) {
                             m_profiles[profile.id].known = after; // the newest, stored or not
                         }
                         if (written) {
                             // The end of the window a kill can make a login necessary in
                             // (the kill test reads it: tests/cli/tst_killtest.cpp).
                             qCDebug(lcAuth) << "stored the renewed credentials of" << profile.name;
                             remember(profile.id, tokens);
                             finish(profile.id, tokens);
                             return;
                         }
                         const Error error(
                             Error::Kind::Keychain,
                             rotated ? QStringLiteral("The server issued a new refresh token for "
                                                      "\"%1\" but the keychain could not store "
                                                      "it: %2")
                                           .arg(profile.name, written.error().message())
                                     : written.error().message());
                         if (!m_longLived) {
                             finish(profile.id, error);
                             return;
                         }
                         // Keep the newest credentials in memory, hand the token out, retry the
                         // write.
                         m_unsaved->keep(profile.id, after);
                         remember(profile.id, tokens);
                         finish(profile.id, tokens);
                         Q_EMIT keychainWriteFailed(profile.id, error);
                     });
}

void TokenService::saveUnsaved(QObject *context, std::function<void(QStringList)> done)
{
    m_unsaved->saveAll(context, std::move(done));
}

void TokenService::remember(const QString &profileId, const TokenSet &tokens)
{
    ProfileState &state = m_profiles[profileId];
    state.token = tokens;
    const bool firstUseSinceLock = m_locked && !state.dropWhenDone;
    if (firstUseSinceLock) {
        m_locked = false;
    }
    Q_EMIT tokenObtained(profileId, tokens);
    if (firstUseSinceLock) {
        qCInfo(lcAuth) << "unlocked: a token was read from the keychain again";
        Q_EMIT unlocked();
    }
}

std::optional<TokenSet> TokenService::cached(const QString &profileId) const
{
    const ProfileState *state = stateOf(profileId);
    return state ? state->token : std::nullopt;
}

void TokenService::forgetCached(const QString &profileId)
{
    if (const auto it = m_profiles.find(profileId); it != m_profiles.end()) {
        it->token.reset();
        it->known.reset();
    }
}

void TokenService::renewRejected(const Profile &profile, const QString &rejectedToken,
                                 QObject *context, TokenDone done)
{
    const auto cachedToken = cached(profile.id);
    if (cachedToken && cachedToken->accessToken != rejectedToken
        && cachedToken->validFor(m_clock.now(), 0)) {
        // Renewed since that request was sent: the new one has not been refused.
        later(context, std::move(done), Result<TokenSet>(*cachedToken));
        return;
    }
    if (const auto it = m_profiles.find(profile.id); it != m_profiles.end()) {
        it->token.reset();
    }
    token(profile, forceRenewal, context, std::move(done));
}

void TokenService::finish(const QString &profileId, const Result<TokenSet> &result)
{
    if (!result) {
        Q_EMIT tokenFailed(profileId, result.error());
    }
    ProfileState &state = m_profiles[profileId];
    Q_ASSERT(state.flight != ProfileState::Flight::Idle);
    state.flight = ProfileState::Flight::Idle;
    state.lease.release(); // stored (or failed): the next one reads what is there
    if (std::exchange(state.dropWhenDone, false)) {
        // Begun before a lock: those who asked get the result, memory does not.
        state.token.reset();
        state.known.reset();
    }
    const auto waiters = std::exchange(state.waiters, {});
    for (const auto &[context, done] : waiters) {
        if (context) {
            done(result);
        }
    }
    if (!busy()) {
        Q_EMIT idle();
    }
}

void TokenService::logout(const Profile &profile, QObject *context, LogoutDone done)
{
    const auto preset = presetFor(profile);
    if (!preset) {
        later(context, std::move(done), Result<LogoutOutcome>(preset.error()));
        return;
    }
    m_logout->start(profile, **preset, context, std::move(done));
}

void TokenService::forget(const Profile &profile, QObject *context, Done done)
{
    reset(profile.id);
    underLock(profile,
              [this, id = profile.id, guard = QPointer<QObject>(context),
               done = std::move(done)](Result<ProfileLocks::Lease> lease) {
                  if (!lease) {
                      if (guard) {
                          done(lease.error());
                      }
                      return;
                  }
                  m_secrets->remove(
                      secretKey(id), this,
                      [this, id, guard, done, held = lease.value()](Result<void> removed) {
                          if (removed) {
                              Q_EMIT loggedOut(id);
                          }
                          if (guard) {
                              done(removed);
                          }
                      });
              });
}

void TokenService::test(const Profile &profile, const QString &secret, QObject *context, Done done,
                        const QString &clientSecret)
{
    const auto preset = presetFor(profile);
    if (!preset) {
        later(context, std::move(done), Result<void>(preset.error()));
        return;
    }
    if (!canTest(**preset)) {
        // Trading a refresh token in to test it could rotate it away.
        later(context, std::move(done),
              Result<void>(Error(Error::Kind::Usage,
                                 QStringLiteral("%1 cannot test a token without using it up; "
                                                "log in instead.")
                                     .arg((*preset)->name))));
        return;
    }
    m_auth->test(profile, **preset,
                 credentialrules::typed((*preset)->secretKind, secret, clientSecret), context,
                 std::move(done));
}

} // namespace tokenkeeper
