#include "sessionlogout.h"

#include "core/logging.h"
#include "credentialrules.h"
#include "secrets/secretstore.h"

namespace tokenkeeper {

namespace {

TokenService::LogoutOutcome notEnded(const QString &why)
{
    return {false, QStringLiteral("The server session could not be ended: %1").arg(why)};
}

} // namespace

SessionLogout::SessionLogout(TokenService &tokens, AuthClient *auth, QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_auth(auth)
{ }

void SessionLogout::start(const Profile &profile, const Preset &preset, QObject *context,
                          TokenService::LogoutDone done)
{
    const Logout logout {profile, preset, QPointer<QObject>(context), std::move(done)};
    if (!logout.preset.logout) {
        forget(logout, {});
        return;
    }
    getToken(logout);
}

void SessionLogout::getToken(const Logout &logout)
{
    // Ending the session needs a live access token and the newest refresh token.
    m_tokens.token(logout.profile, 30, this, [this, logout](Result<TokenSet> tokens) {
        if (!tokens) {
            forget(logout,
                   tokens.error().kind() == Error::Kind::Keychain
                       ? TokenService::LogoutOutcome {false, tokens.error().message()}
                       : notEnded(tokens.error().message()));
            return;
        }
        readEntry(logout, tokens->accessToken);
    });
}

void SessionLogout::readEntry(const Logout &logout, const QString &accessToken)
{
    m_tokens.secretStore()->read(
        TokenService::secretKey(logout.profile), this,
        [this, logout, accessToken](Result<std::optional<QByteArray>> read) {
            Credentials credentials;
            if (read && read->has_value()) {
                credentials = Credentials::fromJson(**read).value_or(Credentials());
            }
            credentials.accessToken = accessToken;
            callServer(logout, credentials);
        });
}

void SessionLogout::callServer(const Logout &logout, const Credentials &credentials)
{
    m_auth->logout(logout.profile, logout.preset, credentials, this,
                   [this, logout](Result<void> ended) {
                       forget(logout,
                              ended ? TokenService::LogoutOutcome {true, {}}
                                    : notEnded(ended.error().message()));
                   });
}

void SessionLogout::forget(const Logout &logout, const TokenService::LogoutOutcome &outcome)
{
    m_tokens.forget(logout.profile, this,
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

void SessionLogout::endQuietly(const Profile &profile, const Preset &preset,
                               const Credentials &before, const TokenSet &tokens)
{
    if (!preset.logout) {
        return;
    }
    Credentials session = credentialrules::after(preset, before, tokens);
    if (!tokens.refreshToken.isEmpty()) {
        session.refreshToken = tokens.refreshToken; // kept or not, it ends the session
    }
    m_auth->logout(profile, preset, session, this, [name = profile.name](Result<void> ended) {
        if (ended) {
            qCInfo(lcAuth) << "ended the session of a cancelled login to" << name;
        } else {
            qCInfo(lcAuth) << "could not end the session of a cancelled login to" << name << ":"
                           << ended.error().message();
        }
    });
}

} // namespace tokenkeeper
