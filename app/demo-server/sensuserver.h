#pragma once

#include "emulatedserver.h"
#include "jwtsigner.h"

#include <QHash>
#include <QSet>

namespace tokenkeeper::emulator {

struct ServerContext;

// Sensu Go (6.12 behaviour): Basic login at GET /auth returns a JWT pair; POST /auth/token
// rotates the refresh token.
//
//   login ──> session {access A1, refresh R1}
//   POST /auth/token (Bearer A1, R1) ──> {A2, R2}; R1 retired
//   POST /auth/token (…, R1 again)   ──> 400 "invalid access token", session killed (A2, R2 die),
//                                        reuseDetected.sensu += 1
//
// A session is forgotten sessionIdle seconds after its last issuance.
class SensuServer final : public EmulatedServer
{
public:
    explicit SensuServer(ServerContext &context);

    QString name() const override;
    RouteKind route(const QString &path) const override;
    HttpResponse handle(const HttpRequest &request) override;
    // Kills every session.
    void revoke() override;
    void reset() override;

private:
    struct Session
    {
        QString user;
        QByteArray refreshToken; // the current one
        qint64 lastIssued = 0;
    };

    HttpResponse login(const HttpRequest &request);
    HttpResponse test(const HttpRequest &request) const;
    HttpResponse refresh(const HttpRequest &request);
    HttpResponse logout(const HttpRequest &request);
    HttpResponse namespaces(const HttpRequest &request);

    // An error text or an empty string when the Basic credentials are good.
    QByteArray checkCredentials(const HttpRequest &request) const;
    // Issues a new token pair into the session and answers with it.
    HttpResponse issue(const QByteArray &sessionId);
    // The session, when it exists and has not gone idle; forgets it when it has.
    Session *liveSession(const QByteArray &sessionId);
    // The session id of an access token we issued (signature valid, expired or not).
    QByteArray accessSession(const QByteArray &accessToken) const;
    void killSession(const QByteArray &sessionId);

    ServerContext &m_context;
    JwtSigner m_signer;
    QHash<QByteArray, Session> m_sessions; // by session id
    QHash<QByteArray, QByteArray> m_accessTokens; // access token -> session id
    QHash<QByteArray, QByteArray> m_refreshTokens; // current refresh token -> session id
    QHash<QByteArray, QByteArray> m_retiredRefreshTokens; // rotated-out token -> session id
};

} // namespace tokenkeeper::emulator
