#pragma once

#include "emulatedserver.h"
#include "jwtsigner.h"

#include <QSet>

namespace tokenkeeper::emulator {

struct ServerContext;

// Salesforce Argus: JSON login at POST /argusws/v2/auth/login returns an access/refresh JWT
// pair; POST /argusws/v2/auth/token/refresh returns a new access token and the same refresh
// token. Tokens are stateless JWTs, except that the admin "revoke" kills the access tokens.
class ArgusServer final : public EmulatedServer
{
public:
    explicit ArgusServer(ServerContext &context);

    QString name() const override;
    RouteKind route(const QString &path) const override;
    HttpResponse handle(const HttpRequest &request) override;
    void revoke() override;
    void reset() override;

private:
    HttpResponse login(const HttpRequest &request);
    HttpResponse refresh(const HttpRequest &request);
    HttpResponse dashboards(const HttpRequest &request) const;
    QByteArray issue(const QString &user, const QString &type, qint64 lifetime);

    ServerContext &m_context;
    JwtSigner m_signer;
    QSet<QByteArray> m_liveAccessTokens;
};

} // namespace tokenkeeper::emulator
