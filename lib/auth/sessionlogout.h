#pragma once

#include "tokenservice.h"

#include <QObject>
#include <QPointer>

namespace tokenkeeper {

// Ends a profile's server session where its preset can, then forgets its
// secrets: a flat sequence of steps, each a member, and a step that fails
// says why in the outcome's warning and goes on to forget:
//
//   start(profile)
//     |- the preset has no logout request -------------------------------.
//     |- getToken: a live access token (renewed if need be)              |
//     |      `- failed: warning ------------------------------------------|
//     |- readEntry: the newest refresh token in the keychain             |
//     |- callServer: end the server session                              |
//     |      `- failed: warning ------------------------------------------|
//     `- forget: TokenService::forget (memory and keychain) <-------------'
//
// Also ends, quietly, a session the server opened for a login that was
// cancelled meanwhile (endQuietly).
class SessionLogout final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionLogout)

public:
    SessionLogout(TokenService &tokens, AuthClient *auth, QObject *parent = nullptr);
    ~SessionLogout() override = default;

    void start(const Profile &profile, const Preset &preset, QObject *context,
               TokenService::LogoutDone done);
    // The session `tokens` stand for, ended without a word to anybody.
    void endQuietly(const Profile &profile, const Preset &preset, const Credentials &before,
                    const TokenSet &tokens);

private:
    // A logout under way, handed from step to step.
    struct Logout
    {
        Profile profile;
        Preset preset;
        QPointer<QObject> context;
        TokenService::LogoutDone done;
    };

    void getToken(const Logout &logout);
    void readEntry(const Logout &logout, const QString &accessToken);
    void callServer(const Logout &logout, const Credentials &credentials);
    void forget(const Logout &logout, const TokenService::LogoutOutcome &outcome);

    TokenService &m_tokens;
    AuthClient *m_auth;
};

} // namespace tokenkeeper
