#include "tokenservice.h"

#include "core/clock.h"
#include "core/logging.h"
#include "presetregistry.h"
#include "secrets/secretstore.h"

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

// What the user typed, in the slot its preset asks for.
Credentials typedCredentials(SecretKind kind, const QString &secret)
{
    Credentials typed;
    switch (kind) {
    case SecretKind::Password:
        typed.password = secret;
        break;
    case SecretKind::ClientSecret:
        typed.clientSecret = secret;
        break;
    case SecretKind::RefreshToken:
        typed.refreshToken = secret;
        break;
    }
    return typed;
}

TokenService::LogoutOutcome notEnded(const QString &why)
{
    return {false, QStringLiteral("The server session could not be ended: %1").arg(why)};
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
{ }

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
    state.token.reset();
    if (keep != Keep::Credentials) {
        state.known.reset();
    }
    if (keep == Keep::Nothing) {
        state.unsaved.reset();
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
    const ProfileState *state = stateOf(profileId);
    return state && state->unsaved;
}

Result<const Preset *> TokenService::presetFor(const Profile &profile) const
{
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
    const LoginTicket ticket = ++m_lastLogin;
    const auto preset = presetFor(profile);
    if (!preset) {
        later(context, std::move(done), Result<TokenSet>(preset.error()));
        return ticket;
    }
    const Preset presetCopy = **preset;
    Credentials typed = typedCredentials(presetCopy.secretKind, secret);
    if (!clientSecret.isEmpty()) {
        typed.clientSecret = clientSecret;
    }
    m_logins.insert(ticket, profile.id);
    QPointer<QObject> guard(context);
    m_auth->login(
        profile, presetCopy, typed, this,
        [this, profile, presetCopy, typed, ticket, guard,
         done = std::move(done)](Result<TokenSet> tokens) {
            if (!m_logins.contains(ticket)) {
                if (tokens) {
                    endSessionQuietly(profile, presetCopy, typed, *tokens);
                }
                return;
            }
            if (!tokens) {
                m_logins.remove(ticket);
                if (guard) {
                    done(tokens);
                }
                return;
            }
            Credentials kept = typed;
            if (presetCopy.secretKind == SecretKind::Password && !profile.rememberPassword) {
                kept.password.clear();
            }
            kept = credentialsAfter(presetCopy, kept, *tokens);
            const TokenSet fresh = *tokens;
            // What a cancel during the write puts back: the newest credentials
            // the keychain refused, else the entry as it is.
            if (const ProfileState *state = stateOf(profile.id); state && state->unsaved) {
                commitLogin(profile, presetCopy, kept, fresh, ticket, guard, done,
                            std::optional<QByteArray>(state->unsaved->toJson()));
                return;
            }
            m_secrets->read(secretKey(profile), this,
                            [this, profile, presetCopy, kept, fresh, ticket, guard,
                             done](const Result<std::optional<QByteArray>> &earlier) {
                                commitLogin(profile, presetCopy, kept, fresh, ticket, guard, done,
                                            earlier);
                            });
        });
    return ticket;
}

void TokenService::commitLogin(const Profile &profile, const Preset &preset,
                               const Credentials &kept, const TokenSet &fresh, LoginTicket ticket,
                               const QPointer<QObject> &guard, const TokenDone &done,
                               const Result<std::optional<QByteArray>> &earlier)
{
    if (!m_logins.contains(ticket)) {
        endSessionQuietly(profile, preset, kept, fresh);
        return;
    }
    // From here a renewal under way for the profile is stale: its result
    // must not overwrite this login's entry.
    reset(profile.id, Keep::Credentials);
    m_secrets->write(
        secretKey(profile), kept.toJson(), this,
        [this, profile, preset, kept, fresh, ticket, guard, done, earlier](Result<void> written) {
            if (!m_logins.remove(ticket)) {
                // Cancelled while the entry was written: put the earlier one back.
                qCInfo(lcAuth) << "login to" << profile.name
                               << "cancelled while it was stored; putting back what was there";
                reset(profile.id, Keep::Unsaved);
                const auto restored = [name = profile.name](Result<void> result) {
                    if (!result) {
                        qCWarning(lcAuth) << "could not put back the keychain entry of" << name
                                          << ":" << result.error().message();
                    }
                };
                if (written && earlier && earlier->has_value()) {
                    m_secrets->write(secretKey(profile), **earlier, this, restored);
                } else if (written) {
                    // Nothing was there, or we could not tell what: leave nothing.
                    m_secrets->remove(secretKey(profile), this, restored);
                }
                endSessionQuietly(profile, preset, kept, fresh);
                return;
            }
            if (!written) {
                if (guard) {
                    done(written.error());
                }
                return;
            }
            ProfileState &state = m_profiles[profile.id];
            state.unsaved.reset();
            if (m_longLived) {
                state.known = kept;
            }
            remember(profile.id, fresh);
            if (guard) {
                done(fresh);
            }
        });
}

bool TokenService::cancelLogin(LoginTicket ticket)
{
    return m_logins.remove(ticket);
}

void TokenService::endSessionQuietly(const Profile &profile, const Preset &preset,
                                     const Credentials &before, const TokenSet &tokens)
{
    if (!preset.logout) {
        return;
    }
    Credentials session = credentialsAfter(preset, before, tokens);
    if (!tokens.refreshToken.isEmpty()) {
        session.refreshToken = tokens.refreshToken;
    }
    session.accessToken = tokens.accessToken;
    m_auth->logout(profile, preset, session, this, [name = profile.name](Result<void> ended) {
        if (ended) {
            qCInfo(lcAuth) << "ended the session of a cancelled login to" << name;
        } else {
            qCInfo(lcAuth) << "could not end the session of a cancelled login to" << name << ":"
                           << ended.error().message();
        }
    });
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
        return; // the renewal under way answers everybody
    }
    state.flight = ProfileState::Flight::Reading;
    readStored(profile, **preset, minValidSeconds);
}

void TokenService::readStored(const Profile &profile, const Preset &preset, int minValidSeconds)
{
    const ProfileState &state = m_profiles[profile.id];
    if (state.unsaved) {
        // The keychain holds an older refresh token than this: never use it.
        renew(profile, preset, Credentials(*state.unsaved), minValidSeconds);
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
            const auto stored = Credentials::fromJson(**read);
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
    if (minValidSeconds != forceRenewal && !stored.accessToken.isEmpty()
        && stored.accessExpiresAt.isValid()
        && m_clock.now().secsTo(stored.accessExpiresAt) > minValidSeconds) {
        TokenSet tokens;
        tokens.accessToken = stored.accessToken;
        tokens.expiresAt = stored.accessExpiresAt;
        tokens.obtainedAt = stored.accessObtainedAt;
        tokens.lifetimeSource = TokenSet::lifetimeSourceFromName(stored.accessLifetimeSource)
                                    .value_or(TokenSet::LifetimeSource::ExpiresAt);
        remember(profile.id, tokens);
        finish(profile.id, tokens);
        return;
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
        store(profile, preset, stored, credentialsAfter(preset, stored, *tokens), *tokens);
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
    const auto spend = [this, profile, preset, stored, canLogin, onTokens] {
        m_auth->refresh(
            profile, preset, stored, this,
            [this, profile, preset, stored, canLogin, onTokens](Result<TokenSet> tokens) {
                // A dead refresh token, but a remembered password: log in with it.
                if (!tokens && tokens.error().kind() == Error::Kind::LoginRequired && canLogin
                    && !stored.password.isEmpty()) {
                    qCInfo(lcAuth) << "refresh rejected for" << profile.name
                                   << "; logging in with the remembered password";
                    Credentials again = stored;
                    again.refreshToken.clear();
                    again.accessToken.clear();
                    m_auth->login(profile, preset, again, this, onTokens);
                    return;
                }
                onTokens(std::move(tokens));
            });
    };
    if (m_longLived) {
        spend();
        return;
    }
    // A short-lived process cannot keep a rotated refresh token it failed to
    // store: make sure the keychain takes writes before spending the old one.
    m_secrets->write(secretKey(profile), stored.toJson(), this,
                     [this, profile, spend](Result<void> writable) {
                         if (!writable) {
                             finish(profile.id,
                                    Error(Error::Kind::Keychain,
                                          QStringLiteral("The keychain does not take writes (%1); "
                                                         "the refresh token of \"%2\" was not "
                                                         "used, so nothing is lost.")
                                              .arg(writable.error().message(), profile.name)));
                             return;
                         }
                         spend();
                     });
}

Credentials TokenService::credentialsAfter(const Preset &preset, const Credentials &before,
                                           const TokenSet &tokens) const
{
    Credentials after = before;
    if (preset.keepsRefreshToken() && !tokens.refreshToken.isEmpty()) {
        after.refreshToken = tokens.refreshToken;
    }
    // The access token goes with them: the next run reuses it while valid
    // (and Sensu's refresh needs it).
    after.accessToken = tokens.accessToken;
    after.accessExpiresAt = tokens.expiresAt;
    after.accessObtainedAt = tokens.obtainedAt;
    after.accessLifetimeSource = TokenSet::lifetimeSourceName(tokens.lifetimeSource);
    return after;
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
    ProfileState &state = m_profiles[profile.id];
    state.unsaved.reset();
    state.flight = ProfileState::Flight::Storing;
    m_secrets->write(secretKey(profile), after.toJson(), this,
                     [this, profile, after, tokens, rotated](Result<void> written) {
                         if (m_longLived) {
                             m_profiles[profile.id].known = after; // the newest, stored or not
                         }
                         if (written) {
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
                         m_profiles[profile.id].unsaved = after;
                         remember(profile.id, tokens);
                         finish(profile.id, tokens);
                         Q_EMIT keychainWriteFailed(profile.id, error);
                         retryUnsavedWrite(profile, 1);
                     });
}

void TokenService::saveUnsaved(QObject *context, std::function<void(QStringList)> done)
{
    QStringList pending;
    for (auto it = m_profiles.cbegin(); it != m_profiles.cend(); ++it) {
        if (it->unsaved) {
            pending.append(it.key());
        }
    }
    auto left = std::make_shared<int>(int(pending.size()));
    auto failed = std::make_shared<QStringList>();
    const QPointer<QObject> guard(context);
    if (pending.isEmpty()) {
        later(context, std::move(done), QStringList());
        return;
    }
    for (const QString &id : std::as_const(pending)) {
        const Credentials credentials = *m_profiles[id].unsaved;
        m_secrets->write(secretKey(id), credentials.toJson(), this,
                         [this, id, credentials, left, failed, guard, done](Result<void> written) {
                             ProfileState &state = m_profiles[id];
                             if (written && state.unsaved && *state.unsaved == credentials) {
                                 state.unsaved.reset();
                                 Q_EMIT keychainWriteRecovered(id);
                             } else if (!written) {
                                 failed->append(id);
                             }
                             if (--*left == 0 && guard) {
                                 done(*failed);
                             }
                         });
    }
}

void TokenService::retryUnsavedWrite(const Profile &profile, int attempt)
{
    constexpr int firstDelayMs = 2'000;
    constexpr int maxDelayMs = 300'000;
    const int delay = int(qMin<qint64>(maxDelayMs, qint64(firstDelayMs) << qMin(attempt - 1, 10)));
    QTimer::singleShot(delay, this, [this, profile, attempt] {
        const ProfileState *state = stateOf(profile.id);
        if (!state || !state->unsaved) {
            return; // written meanwhile, or logged out
        }
        const Credentials pending = *state->unsaved;
        m_secrets->write(secretKey(profile), pending.toJson(), this,
                         [this, profile, pending, attempt](Result<void> written) {
                             const ProfileState *now = stateOf(profile.id);
                             if (!now || !now->unsaved || !(*now->unsaved == pending)) {
                                 return; // superseded
                             }
                             if (written) {
                                 m_profiles[profile.id].unsaved.reset();
                                 Q_EMIT keychainWriteRecovered(profile.id);
                                 return;
                             }
                             Q_EMIT keychainWriteFailed(profile.id, written.error());
                             retryUnsavedWrite(profile, attempt + 1);
                         });
    });
}

void TokenService::remember(const QString &profileId, const TokenSet &tokens)
{
    m_profiles[profileId].token = tokens;
    Q_EMIT tokenObtained(profileId, tokens);
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
    const Logout logout {profile, **preset, QPointer<QObject>(context), std::move(done)};
    if (!logout.preset.logout) {
        logoutForget(logout, {});
        return;
    }
    logoutGetToken(logout);
}

void TokenService::logoutGetToken(const Logout &logout)
{
    // Ending the session needs a live access token and the newest refresh token.
    token(logout.profile, 30, this, [this, logout](Result<TokenSet> tokens) {
        if (!tokens) {
            logoutForget(logout,
                         tokens.error().kind() == Error::Kind::Keychain
                             ? LogoutOutcome {false, tokens.error().message()}
                             : notEnded(tokens.error().message()));
            return;
        }
        logoutReadEntry(logout, tokens->accessToken);
    });
}

void TokenService::logoutReadEntry(const Logout &logout, const QString &accessToken)
{
    m_secrets->read(secretKey(logout.profile), this,
                    [this, logout, accessToken](Result<std::optional<QByteArray>> read) {
                        Credentials credentials;
                        if (read && read->has_value()) {
                            credentials = Credentials::fromJson(**read).value_or(Credentials());
                        }
                        credentials.accessToken = accessToken;
                        logoutCallServer(logout, credentials);
                    });
}

void TokenService::logoutCallServer(const Logout &logout, const Credentials &credentials)
{
    m_auth->logout(
        logout.profile, logout.preset, credentials, this, [this, logout](Result<void> ended) {
            logoutForget(logout,
                         ended ? LogoutOutcome {true, {}} : notEnded(ended.error().message()));
        });
}

void TokenService::logoutForget(const Logout &logout, const LogoutOutcome &outcome)
{
    forget(logout.profile, this,
           [context = logout.context, done = logout.done, outcome](Result<void> removed) {
               if (!context) {
                   return;
               }
               if (!removed) {
                   done(removed.error());
                   return;
               }
               done(outcome);
           });
}

void TokenService::forget(const Profile &profile, QObject *context, Done done)
{
    reset(profile.id);
    m_secrets->remove(secretKey(profile), context,
                      [this, id = profile.id, done = std::move(done)](Result<void> removed) {
                          if (removed) {
                              Q_EMIT loggedOut(id);
                          }
                          done(removed);
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
    Credentials typed = typedCredentials((*preset)->secretKind, secret);
    if (!clientSecret.isEmpty()) {
        typed.clientSecret = clientSecret;
    }
    m_auth->test(profile, **preset, typed, context, std::move(done));
}

} // namespace tokenkeeper
