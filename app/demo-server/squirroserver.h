#pragma once

#include "emulatedserver.h"

#include <QHash>

namespace tokenkeeper::emulator {

struct ServerContext;

// Squirro: the user token (a refresh token that never expires) is exchanged at
// POST /api/user/oauth2/token for an opaque 40-hex access token; no expiry in the answer.
class SquirroServer final : public EmulatedServer
{
public:
    explicit SquirroServer(ServerContext &context);

    QString name() const override;
    RouteKind route(const QString &path) const override;
    HttpResponse handle(const HttpRequest &request) override;
    // Revokes the demo user token (410 from now on) and kills every access token.
    void revoke() override;
    void reset() override;

private:
    HttpResponse exchange(const HttpRequest &request);
    HttpResponse projects(const HttpRequest &request) const;

    ServerContext &m_context;
    QString m_userId;
    bool m_revoked = false;
    QHash<QByteArray, qint64> m_accessExpiry; // access token -> unix seconds
};

} // namespace tokenkeeper::emulator
