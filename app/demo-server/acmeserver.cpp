#include "acmeserver.h"

#include "democredentials.h"
#include "randomtokens.h"
#include "servercontext.h"

namespace tokenkeeper::emulator {

namespace {

const QString sessionPath = QStringLiteral("/acme/api/v1/session");
const QString renewPath = QStringLiteral("/acme/api/v1/session/renew");
const QString whoamiPath = QStringLiteral("/acme/api/whoami");

HttpResponse reason(int status, const QString &text)
{
    return HttpResponse::json(status, {{QStringLiteral("reason"), text}});
}

} // namespace

AcmeServer::AcmeServer(ServerContext &context)
    : m_context(context)
{ }

QString AcmeServer::name() const
{
    return QStringLiteral("acme");
}

RouteKind AcmeServer::route(const QString &path) const
{
    if (path == sessionPath || path == renewPath) {
        return RouteKind::Token;
    }
    if (path == whoamiPath) {
        return RouteKind::Api;
    }
    return RouteKind::None;
}

HttpResponse AcmeServer::handle(const HttpRequest &request)
{
    if (request.path == sessionPath) {
        return login(request);
    }
    if (request.path == renewPath) {
        return renew(request);
    }
    return whoami(request);
}

void AcmeServer::revoke()
{
    m_renewTokens.clear();
    m_tokens.clear();
}

void AcmeServer::reset() { }

HttpResponse AcmeServer::login(const HttpRequest &request)
{
    if (request.method != "POST") {
        return methodNotAllowed(QByteArrayLiteral("POST"));
    }
    const std::optional<QJsonObject> body = request.jsonObject();
    if (!body) {
        return reason(400, QStringLiteral("malformed request"));
    }
    const QString user = body->value(QLatin1String("user")).toString();
    if (user != QLatin1String(demo::acmeUser)
        || body->value(QLatin1String("pass")).toString() != QLatin1String(demo::acmePassword)) {
        return reason(403, QStringLiteral("bad user or password"));
    }
    const QByteArray renewToken = randomUrlSafe(24);
    m_renewTokens.insert(renewToken, user);
    m_context.ledger.recordIssued(renewToken);
    m_context.ledger.countLogin(name());
    return issue(renewToken);
}

HttpResponse AcmeServer::renew(const HttpRequest &request)
{
    if (request.method != "POST") {
        return methodNotAllowed(QByteArrayLiteral("POST"));
    }
    const std::optional<QJsonObject> body = request.jsonObject();
    if (!body) {
        return reason(400, QStringLiteral("malformed request"));
    }
    const QByteArray renewToken = body->value(QLatin1String("renew")).toString().toLatin1();
    if (!m_renewTokens.contains(renewToken)) {
        return reason(403, QStringLiteral("session expired"));
    }
    m_context.ledger.countRefresh(name());
    return issue(renewToken);
}

HttpResponse AcmeServer::whoami(const HttpRequest &request) const
{
    if (request.method != "GET") {
        return methodNotAllowed(QByteArrayLiteral("GET"));
    }
    const auto it = m_tokens.constFind(request.bearerToken());
    if (it == m_tokens.constEnd() || it.value() <= m_context.now()) {
        return reason(401, QStringLiteral("not logged in"));
    }
    return HttpResponse::json(200, {{QStringLiteral("user"), QLatin1String(demo::acmeUser)}});
}

HttpResponse AcmeServer::issue(const QByteArray &renewToken)
{
    const qint64 ttl = m_context.config.acmeLifetime;
    const QByteArray token = randomUrlSafe(24);
    m_tokens.insert(token, m_context.now() + ttl);
    m_context.ledger.recordIssued(token);
    return HttpResponse::json(200,
                              {{QStringLiteral("data"),
                                QJsonObject {
                                    {QStringLiteral("token"), QString::fromLatin1(token)},
                                    {QStringLiteral("renew"), QString::fromLatin1(renewToken)},
                                    {QStringLiteral("ttl"), ttl},
                                }}});
}

} // namespace tokenkeeper::emulator
