#pragma once

#include "emulatedserver.h"

#include <QHash>

#include <optional>

namespace tokenkeeper::emulator {

struct ServerContext;

// A generic OAuth 2.0 token endpoint (RFC 6749) at POST /oauth/token with the client
// credentials, password and refresh_token grants, and rotating refresh tokens.
//
//   password grant ──> family F {access A1, refresh R1}
//   refresh_token R1 ──> {A2, R2}; R1 retired
//   refresh_token R1 again ──> 400 invalid_grant, family F revoked (A1, A2, R2 die),
//                              reuseDetected.oauth2 += 1
class OAuth2Server final : public EmulatedServer
{
public:
    explicit OAuth2Server(ServerContext &context);

    QString name() const override;
    RouteKind route(const QString &path) const override;
    HttpResponse handle(const HttpRequest &request) override;
    // Revokes every access and refresh token.
    void revoke() override;
    void reset() override;

private:
    struct Family
    {
        QString clientId;
        QString subject;
        QString scope;
    };

    struct Grant
    {
        QString clientId;
        QString subject;
        QString scope;
        QByteArray familyId; // empty for client credentials
        qint64 expiresAt = 0;
    };

    HttpResponse token(const HttpRequest &request);
    HttpResponse me(const HttpRequest &request) const;
    // Any method: the request as the server saw it (without Authorization), for the request tester.
    HttpResponse echo(const HttpRequest &request) const;
    // The live grant of the request's bearer token, or null.
    const Grant *validGrant(const HttpRequest &request) const;
    static HttpResponse invalidToken();
    // The authenticated client id, or the error to answer with.
    std::optional<HttpResponse> authenticateClient(const HttpRequest &request,
                                                   const QHash<QString, QString> &fields,
                                                   QString *clientId) const;
    HttpResponse refreshGrant(const QString &clientId, const QHash<QString, QString> &fields);
    HttpResponse issue(const Grant &grant, bool withRefreshToken);
    void revokeFamily(const QByteArray &familyId);

    ServerContext &m_context;
    QHash<QByteArray, Family> m_families;
    QHash<QByteArray, QByteArray> m_refreshTokens; // current refresh token -> family id
    QHash<QByteArray, QByteArray> m_retiredRefreshTokens; // rotated-out -> family id
    QHash<QByteArray, Grant> m_accessTokens;
};

} // namespace tokenkeeper::emulator
