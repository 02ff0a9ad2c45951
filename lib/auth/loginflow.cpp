#include "loginflow.h"

#include "core/logging.h"
#include "credentialrules.h"
#include "secrets/secretstore.h"
#include "sessionlogout.h"
#include "unsavedcredentials.h"

namespace tokenkeeper {

LoginFlow::LoginFlow(TokenService &tokens, AuthClient *auth, SessionLogout &logout, QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_auth(auth)
    , m_logout(logout)
{ }

TokenService::LoginTicket LoginFlow::start(const Profile &profile, const Preset &preset,
                                           const Credentials &typed, QObject *context,
                                           TokenService::TokenDone done)
{
    const TokenService::LoginTicket ticket = ++m_lastLogin;
    m_logins.insert(ticket, profile.id);
    QPointer<QObject> guard(context);
    m_auth->login(
        profile, preset, typed, this,
        [this, profile, preset, typed, ticket, guard,
         done = std::move(done)](Result<TokenSet> tokens) {
            if (!m_logins.contains(ticket)) {
                if (tokens) {
                    m_logout.endQuietly(profile, preset, typed, *tokens);
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
            if (preset.secretKind == SecretKind::Password && !profile.rememberPassword) {
                kept.password.clear();
            }
            kept = credentialrules::after(preset, kept, *tokens);
            const TokenSet fresh = *tokens;
            m_tokens.underLock(
                profile,
                [this, profile, preset, kept, fresh, ticket, guard,
                 done](Result<ProfileLocks::Lease> lease) {
                    if (!lease) {
                        m_logins.remove(ticket);
                        m_logout.endQuietly(profile, preset, kept, fresh);
                        if (guard) {
                            done(lease.error());
                        }
                        return;
                    }
                    // What a cancel during the write puts back: the newest
                    // credentials the keychain refused, else the entry as it is.
                    if (const auto unsaved = m_tokens.m_unsaved->of(profile.id)) {
                        commit(profile, preset, kept, fresh, ticket, guard, done,
                               std::optional<QByteArray>(unsaved->toJson()), *lease);
                        return;
                    }
                    m_tokens.m_secrets->read(
                        TokenService::secretKey(profile), this,
                        [this, profile, preset, kept, fresh, ticket, guard, done,
                         held = lease.value()](const Result<std::optional<QByteArray>> &earlier) {
                            commit(profile, preset, kept, fresh, ticket, guard, done, earlier,
                                   held);
                        });
                });
        });
    return ticket;
}

void LoginFlow::commit(const Profile &profile, const Preset &preset, const Credentials &kept,
                       const TokenSet &fresh, TokenService::LoginTicket ticket,
                       const QPointer<QObject> &guard, const TokenService::TokenDone &done,
                       const Result<std::optional<QByteArray>> &earlier,
                       const ProfileLocks::Lease &lease)
{
    if (!m_logins.contains(ticket)) {
        m_logout.endQuietly(profile, preset, kept, fresh);
        return;
    }
    // From here a renewal under way for the profile is stale: its result
    // must not overwrite this login's entry.
    m_tokens.reset(profile.id, TokenService::Keep::Credentials);
    m_tokens.m_secrets->write(
        TokenService::secretKey(profile), kept.toJson(), this,
        [this, profile, preset, kept, fresh, ticket, guard, done, earlier,
         lease](Result<void> written) {
            if (!m_logins.remove(ticket)) {
                // Cancelled while the entry was written: put the earlier one back.
                qCInfo(lcAuth) << "login to" << profile.name
                               << "cancelled while it was stored; putting back what was there";
                m_tokens.reset(profile.id, TokenService::Keep::Unsaved);
                const auto restored = [name = profile.name, lease](Result<void> result) {
                    if (!result) {
                        qCWarning(lcAuth) << "could not put back the keychain entry of" << name
                                          << ":" << result.error().message();
                    }
                };
                if (written && earlier && earlier->has_value()) {
                    m_tokens.m_secrets->write(TokenService::secretKey(profile), **earlier, this,
                                              restored);
                } else if (written) {
                    // Nothing was there, or we could not tell what: leave nothing.
                    m_tokens.m_secrets->remove(TokenService::secretKey(profile), this, restored);
                }
                m_logout.endQuietly(profile, preset, kept, fresh);
                return;
            }
            if (!written) {
                if (guard) {
                    done(written.error());
                }
                return;
            }
            m_tokens.m_unsaved->drop(profile.id);
            if (m_tokens.m_longLived) {
                m_tokens.m_profiles[profile.id].known = kept;
            }
            m_tokens.remember(profile.id, fresh);
            if (guard) {
                done(fresh);
            }
        });
}

bool LoginFlow::cancel(TokenService::LoginTicket ticket)
{
    return m_logins.remove(ticket);
}

} // namespace tokenkeeper
