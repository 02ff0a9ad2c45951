#pragma once

#include "emulatedserver.h"
#include "jwtsigner.h"

namespace tokenkeeper::emulator {

struct ServerContext;

// Squidex: OAuth 2.0 client credentials at POST /identity-server/connect/token (OpenIddict
// errors), no refresh token. A key rotation (the admin "revoke") kills every token issued so far.
class SquidexServer final : public EmulatedServer
{
public:
    explicit SquidexServer(ServerContext &context);

    QString name() const override;
    RouteKind route(const QString &path) const override;
    HttpResponse handle(const HttpRequest &request) override;
    void revoke() override;
    void reset() override;

private:
    HttpResponse token(const HttpRequest &request);
    HttpResponse schemas(const HttpRequest &request) const;

    ServerContext &m_context;
    JwtSigner m_signer;
};

} // namespace tokenkeeper::emulator
