#include "refreshspending.h"

#include "core/logging.h"
#include "core/text.h"
#include "secrets/secretstore.h"
#include "unsavedcredentials.h"

namespace tokenkeeper {

namespace {

bool canLoginAgain(const Preset &preset, const Credentials &stored)
{
    return preset.login && !stored.password.isEmpty();
}

} // namespace

RefreshSpending::RefreshSpending(TokenService &tokens, AuthClient *auth, QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_auth(auth)
{ }

void RefreshSpending::spend(const Profile &profile, const Preset &preset, const Credentials &stored,
                            TokenService::TokenDone onTokens)
{
    if (stored.lostAnswers >= maxLostAnswers) {
        // Sent twice, answered never (or refused after that): not sent again.
        if (canLoginAgain(preset, stored)) {
            qCInfo(lcAuth) << "refresh answers lost for" << profile.name
                           << "; logging in with the remembered password";
            loginAgain(profile, preset, stored, onTokens);
            return;
        }
        m_tokens.finish(profile.id, lostTwice(profile));
        return;
    }
    if (m_tokens.m_longLived) {
        refresh(profile, preset, stored, onTokens);
        return;
    }
    // A short-lived process cannot keep a rotated refresh token it failed to
    // store: make sure the keychain takes writes before spending the old one.
    m_tokens.m_secrets->write(
        TokenService::secretKey(profile), stored.toJson(), this,
        [this, profile, preset, stored, onTokens](Result<void> writable) {
            if (!writable) {
                m_tokens.finish(profile.id,
                                Error(Error::Kind::Keychain,
                                      QStringLiteral("The keychain does not take writes (%1); the "
                                                     "refresh token of \"%2\" was not used, so "
                                                     "nothing is lost.")
                                          .arg(writable.error().message(), profile.name)));
                return;
            }
            refresh(profile, preset, stored, onTokens);
        });
}

void RefreshSpending::refresh(const Profile &profile, const Preset &preset,
                              const Credentials &stored, const TokenService::TokenDone &onTokens)
{
    m_auth->refresh(profile, preset, stored, this,
                    [this, profile, preset, stored, onTokens](Result<TokenSet> tokens) {
                        if (!tokens && tokens.error().answerLost()) {
                            const int lost = stored.lostAnswers + 1;
                            markLostAnswers(profile, stored, lost,
                                            lost >= maxLostAnswers
                                                ? lostTwice(profile)
                                                : lostOnce(profile, tokens.error()));
                            return;
                        }
                        if (!tokens && tokens.error().kind() == Error::Kind::LoginRequired) {
                            if (canLoginAgain(preset, stored)) {
                                qCInfo(lcAuth) << "refresh rejected for" << profile.name
                                               << "; logging in with the remembered password";
                                loginAgain(profile, preset, stored, onTokens);
                                return;
                            }
                            if (stored.lostAnswers > 0) {
                                // Its one more try is spent: never sent again.
                                markLostAnswers(profile, stored, maxLostAnswers,
                                                refusedAfterLostAnswer(profile, tokens.error()));
                                return;
                            }
                        }
                        onTokens(std::move(tokens));
                    });
}

void RefreshSpending::loginAgain(const Profile &profile, const Preset &preset,
                                 const Credentials &stored, const TokenService::TokenDone &onTokens)
{
    Credentials again = stored;
    again.refreshToken.clear();
    again.accessToken.clear();
    m_auth->login(profile, preset, again, this, onTokens);
}

void RefreshSpending::markLostAnswers(const Profile &profile, const Credentials &sent,
                                      int lostAnswers, const Error &report)
{
    // The server may have rotated the refresh token in an answer we never
    // saw: record how often it was sent unanswered, so that this process or
    // the next sends it at most once more.
    Credentials marked = sent;
    marked.lostAnswers = lostAnswers;
    qCWarning(lcAuth).noquote() << report.message();
    TokenService::ProfileState &state = m_tokens.m_profiles[profile.id];
    if (m_tokens.m_longLived) {
        state.known = marked;
        if (m_tokens.m_unsaved->has(profile.id)) {
            m_tokens.m_unsaved->keep(profile.id, marked);
        }
    }
    state.flight = TokenService::ProfileState::Flight::Storing;
    m_tokens.m_secrets->write(TokenService::secretKey(profile), marked.toJson(), this,
                              [this, profile, marked, report](Result<void> written) {
                                  if (!written && m_tokens.m_longLived) {
                                      m_tokens.m_unsaved->keep(profile.id, marked);
                                  }
                                  m_tokens.finish(profile.id, report);
                              });
}

Error RefreshSpending::lostOnce(const Profile &profile, const Error &error)
{
    return Error(Error::Kind::Network,
                 QStringLiteral("The refresh request of \"%1\" reached the server, but its answer "
                                "was lost (%2). The refresh token will be tried once more; if the "
                                "server spent it, a login will be needed.")
                     .arg(profile.name, quoted(error.message())))
        .setAnswerLost(true);
}

Error RefreshSpending::lostTwice(const Profile &profile)
{
    return Error(Error::Kind::LoginRequired,
                 QStringLiteral("Answers to refreshes of \"%1\" were lost on the way back, and the "
                                "server may have used the refresh token up, so it is not sent "
                                "again (sending a spent one can end the session). Log in again; "
                                "with --remember-password this is done for you.")
                     .arg(profile.name))
        .setAnswerLost(true);
}

Error RefreshSpending::refusedAfterLostAnswer(const Profile &profile, const Error &refusal)
{
    return {Error::Kind::LoginRequired,
            QStringLiteral("An earlier answer to a refresh of \"%1\" was lost on the way back, "
                           "and the server now refuses the refresh token (%2): the lost answer "
                           "had used it up. This is not a problem with your credentials; log in "
                           "again.")
                .arg(profile.name, quoted(refusal.message()))};
}

} // namespace tokenkeeper
