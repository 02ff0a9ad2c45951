#pragma once

#include "tokenservice.h"

#include <QObject>

namespace tokenkeeper {

// Spending a refresh token, once TokenService has decided a refresh is due.
// A refresh token may be spent the moment the server reads it (Sensu, RFC
// 9700 rotation), so what comes back decides what may be sent next:
//
//   spend(profile, stored, onTokens)
//     |- its answers were lost before (Credentials::lostAnswers)? -> never
//     |     sent again: a login with a remembered password, or LoginRequired
//     |- a short-lived process: the keychain must take writes first
//     |- refresh
//     |    |- sent, answer lost -> counted in the keychain entry, reported;
//     |    |                       sent once more at most
//     |    |- refused -> a remembered password logs in; after a lost answer
//     |    |             the token is never sent again, and the user hears why
//     |    `- otherwise -> onTokens (TokenService stores what came)
//
// Part of TokenService (its friend): it ends the flight with finish().
class RefreshSpending final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RefreshSpending)

public:
    // A refresh token is sent again once after its answer was lost, never more.
    static constexpr int maxLostAnswers = 2;

    RefreshSpending(TokenService &tokens, AuthClient *auth, QObject *parent = nullptr);
    ~RefreshSpending() override = default;

    void spend(const Profile &profile, const Preset &preset, const Credentials &stored,
               TokenService::TokenDone onTokens);

private:
    void refresh(const Profile &profile, const Preset &preset, const Credentials &stored,
                 const TokenService::TokenDone &onTokens);
    // A dead refresh token, but a remembered password: log in with it.
    void loginAgain(const Profile &profile, const Preset &preset, const Credentials &stored,
                    const TokenService::TokenDone &onTokens);
    // The count of lost answers goes to the keychain entry before everybody
    // waiting hears `report`.
    void markLostAnswers(const Profile &profile, const Credentials &sent, int lostAnswers,
                         const Error &report);
    static Error lostOnce(const Profile &profile, const Error &error);
    static Error lostTwice(const Profile &profile);
    static Error refusedAfterLostAnswer(const Profile &profile, const Error &refusal);

    TokenService &m_tokens;
    AuthClient *m_auth;
};

} // namespace tokenkeeper
