#pragma once

#include "emulatedserver.h"

#include <QHash>

namespace tokenkeeper::emulator {

struct ServerContext;

// "Acme", an in-house login API that no built-in preset knows: it proves that a user-written
// preset file can describe a server. Its answer nests the tokens on purpose:
// {"data": {"token", "renew", "ttl"}}. Renewing keeps the renew token.
class AcmeServer final : public EmulatedServer
{
public:
    explicit AcmeServer(ServerContext &context);

    QString name() const override;
    RouteKind route(const QString &path) const override;
    HttpResponse handle(const HttpRequest &request) override;
    void revoke() override;
    void reset() override;

private:
    HttpResponse login(const HttpRequest &request);
    HttpResponse renew(const HttpRequest &request);
    HttpResponse whoami(const HttpRequest &request) const;
    HttpResponse issue(const QByteArray &renewToken);

    ServerContext &m_context;
    QHash<QByteArray, QString> m_renewTokens; // renew token -> user
    QHash<QByteArray, qint64> m_tokens; // token -> unix seconds of expiry
};

} // namespace tokenkeeper::emulator
