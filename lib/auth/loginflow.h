#pragma once

#include "tokenservice.h"

#include <QHash>
#include <QObject>
#include <QPointer>

namespace tokenkeeper {

class SessionLogout;

// A login with what the user typed, cancellable until it is done (the user
// closed the dialog):
//
//   start(profile, typed) -> ticket
//     |- the server answers ------------ cancelled? -> end that session quietly
//     |- the profile's lock (with profile locks), held to the end
//     |- note the keychain entry as it is (the earlier login, or none)
//     |- commit: a new generation, write the entry
//     |     `- cancelled meanwhile? -> put the earlier entry back, end the
//     |                                session quietly
//     `- cache, tokenObtained, done
//
// Until the commit a cancelled login changes nothing: a refresh under way for
// the profile stores its rotation as usual and the earlier login stays.
// Part of TokenService (its friend): the commit resets the profile's state.
class LoginFlow final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginFlow)

public:
    LoginFlow(TokenService &tokens, AuthClient *auth, SessionLogout &logout,
              QObject *parent = nullptr);
    ~LoginFlow() override = default;

    TokenService::LoginTicket start(const Profile &profile, const Preset &preset,
                                    const Credentials &typed, QObject *context,
                                    TokenService::TokenDone done);
    bool cancel(TokenService::LoginTicket ticket);

private:
    void commit(const Profile &profile, const Preset &preset, const Credentials &kept,
                const TokenSet &fresh, TokenService::LoginTicket ticket,
                const QPointer<QObject> &guard, const TokenService::TokenDone &done,
                const Result<std::optional<QByteArray>> &earlier, const ProfileLocks::Lease &lease);

    TokenService &m_tokens;
    AuthClient *m_auth;
    SessionLogout &m_logout;
    QHash<TokenService::LoginTicket, QString> m_logins; // logins under way -> profile id
    TokenService::LoginTicket m_lastLogin = 0;
};

} // namespace tokenkeeper
