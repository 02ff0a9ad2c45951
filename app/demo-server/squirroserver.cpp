#include "squirroserver.h"

#include "democredentials.h"
#include "randomtokens.h"
#include "servercontext.h"

#include <QJsonArray>

namespace tokenkeeper::emulator {

namespace {

const QString tokenPath = QStringLiteral("/api/user/oauth2/token");
const QString projectsPath = QStringLiteral("/api/topic/v0/squirro_demo/projects");

HttpResponse error(int status, const QString &message)
{
    return HttpResponse::json(status, {{QStringLiteral("error"), message}});
}

} // namespace

SquirroServer::SquirroServer(ServerContext &context)
    : m_context(context)
    , m_userId(QString::fromLatin1(randomUrlSafe(16)))
{ }

QString SquirroServer::name() const
{
    return QStringLiteral("squirro");
}

RouteKind SquirroServer::route(const QString &path) const
{
    if (path == tokenPath) {
        return RouteKind::Token;
    }
    if (path == projectsPath) {
        return RouteKind::Api;
    }
    return RouteKind::None;
}

HttpResponse SquirroServer::handle(const HttpRequest &request)
{
    return request.path == tokenPath ? exchange(request) : projects(request);
}

void SquirroServer::revoke()
{
    m_revoked = true;
    m_accessExpiry.clear();
}

void SquirroServer::reset()
{
    m_revoked = false;
}

HttpResponse SquirroServer::exchange(const HttpRequest &request)
{
    if (request.method != "POST") {
        return methodNotAllowed(QByteArrayLiteral("POST"));
    }
    const QHash<QString, QString> fields = request.formFields();
    const QString grantType = fields.value(QStringLiteral("grant_type"));
    const QString userToken = fields.value(QStringLiteral("refresh_token"));
    if (grantType.isEmpty() || userToken.isEmpty()) {
        return error(400, QStringLiteral("missing parameter: grant_type and refresh_token"));
    }
    if (grantType != u"refresh_token") {
        return error(400, QStringLiteral("unsupported grant_type"));
    }
    if (userToken != QLatin1String(demo::squirroUserToken)) {
        return error(404, QStringLiteral("invalid refresh token"));
    }
    if (m_revoked) {
        return error(410, QStringLiteral("refresh token revoked"));
    }

    const QByteArray accessToken = randomHex(20);
    m_accessExpiry.insert(accessToken, m_context.now() + m_context.config.squirroLifetime);
    m_context.ledger.recordIssued(accessToken);
    m_context.ledger.recordIssued(userToken.toLatin1());
    m_context.ledger.countRefresh(name());
    return HttpResponse::json(
        200,
        {
            {QStringLiteral("project_permissions"),
             QJsonArray {QStringLiteral("*"), QStringLiteral("frontend.user")}},
            {QStringLiteral("user_id"), m_userId},
            {QStringLiteral("access_token"), QString::fromLatin1(accessToken)},
            {QStringLiteral("session_id"), QString::fromLatin1(randomUrlSafe(16))},
            {QStringLiteral("role"), QStringLiteral("admin")},
            {QStringLiteral("refresh_token"), userToken},
            {QStringLiteral("role_permissions"),
             QJsonArray {QStringLiteral("admin"), QStringLiteral("profile.write.update"),
                         QStringLiteral("projects.write.create")}},
            {QStringLiteral("tenant"), QLatin1String(demo::squirroTenant)},
        });
}

HttpResponse SquirroServer::projects(const HttpRequest &request) const
{
    if (request.method != "GET") {
        return methodNotAllowed(QByteArrayLiteral("GET"));
    }
    const auto it = m_accessExpiry.constFind(request.bearerToken());
    if (it == m_accessExpiry.constEnd() || it.value() <= m_context.now()) {
        return error(401, QStringLiteral("Unauthorized"));
    }
    return HttpResponse::jsonArray(
        200,
        QJsonArray {QJsonObject {
                        {QStringLiteral("id"), QStringLiteral("Sz7LLLbyTzy_SddblwIxaA")},
                        {QStringLiteral("title"), QStringLiteral("Demo project")},
                        {QStringLiteral("tenant"), QLatin1String(demo::squirroTenant)},
                    },
                    QJsonObject {
                        {QStringLiteral("id"), QStringLiteral("2aEVClLRRA-vCCIvnuEAvQ")},
                        {QStringLiteral("title"), QStringLiteral("Support tickets")},
                        {QStringLiteral("tenant"), QLatin1String(demo::squirroTenant)},
                    }});
}

} // namespace tokenkeeper::emulator
