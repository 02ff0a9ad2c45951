#include "argusserver.h"

#include "democredentials.h"
#include "randomtokens.h"
#include "servercontext.h"

#include <QJsonArray>

namespace tokenkeeper::emulator {

namespace {

const QString loginPath = QStringLiteral("/argusws/v2/auth/login");
const QString refreshPath = QStringLiteral("/argusws/v2/auth/token/refresh");
const QString logoutPath = QStringLiteral("/argusws/v2/auth/logout");
const QString dashboardsPath = QStringLiteral("/argusws/dashboards");

const QString issuer = QStringLiteral("argus-api");
const QString accessType = QStringLiteral("ACCESS");
const QString refreshType = QStringLiteral("REFRESH");

HttpResponse argusError(int status, const QString &message)
{
    return HttpResponse::json(
        status,
        {
            {QStringLiteral("status"), status},
            {QStringLiteral("message"), QString(QStringLiteral("Exception: ") + message)},
        });
}

HttpResponse tomcatUnauthorized()
{
    return HttpResponse::html(
        401,
        QByteArrayLiteral(
            "<!doctype html><html lang=\"en\"><head><title>HTTP Status 401 – Unauthorized</title>"
            "<style type=\"text/css\">body {font-family:Tahoma,Arial,sans-serif;} h1 "
            "{color:white;background-color:#525D76;}</style></head><body><h1>HTTP Status 401 – "
            "Unauthorized</h1><hr class=\"line\" /><p><b>Type</b> Status Report</p><p><b>Message"
            "</b> Unauthorized</p><p><b>Description</b> The request has not been applied because "
            "it lacks valid authentication credentials for the target resource.</p><hr "
            "class=\"line\" /><h3>Apache Tomcat/8.5.32</h3></body></html>"));
}

} // namespace

ArgusServer::ArgusServer(ServerContext &context)
    : m_context(context)
{ }

QString ArgusServer::name() const
{
    return QStringLiteral("argus");
}

RouteKind ArgusServer::route(const QString &path) const
{
    if (path == loginPath || path == refreshPath || path == logoutPath) {
        return RouteKind::Token;
    }
    if (path == dashboardsPath || path == dashboardsPath + u'/') {
        return RouteKind::Api;
    }
    return RouteKind::None;
}

HttpResponse ArgusServer::handle(const HttpRequest &request)
{
    if (request.path == loginPath) {
        return login(request);
    }
    if (request.path == refreshPath) {
        return refresh(request);
    }
    if (request.path == logoutPath) {
        return request.method == "GET" ? HttpResponse::empty(200)
                                       : methodNotAllowed(QByteArrayLiteral("GET"));
    }
    return dashboards(request);
}

void ArgusServer::revoke()
{
    m_liveAccessTokens.clear();
}

void ArgusServer::reset() { }

HttpResponse ArgusServer::login(const HttpRequest &request)
{
    if (request.method != "POST") {
        return methodNotAllowed(QByteArrayLiteral("POST"));
    }
    const std::optional<QJsonObject> body = request.jsonObject();
    if (!body) {
        return argusError(401, QStringLiteral("Login failed: the request body is not JSON"));
    }
    const QString user = body->value(QLatin1String("username")).toString();
    const QString password = body->value(QLatin1String("password")).toString();
    if (user != QLatin1String(demo::argusUser) || password != QLatin1String(demo::argusPassword)) {
        return argusError(401, QStringLiteral("Login failed: invalid username or password"));
    }
    const QByteArray accessToken = issue(user, accessType, m_context.config.argusLifetime);
    const QByteArray refreshToken = issue(user, refreshType, m_context.config.argusRefreshLifetime);
    m_context.ledger.countLogin(name());
    return HttpResponse::json(
        200,
        {
            {QStringLiteral("accessToken"), QString::fromLatin1(accessToken)},
            {QStringLiteral("refreshToken"), QString::fromLatin1(refreshToken)},
        });
}

HttpResponse ArgusServer::refresh(const HttpRequest &request)
{
    if (request.method != "POST") {
        return methodNotAllowed(QByteArrayLiteral("POST"));
    }
    const std::optional<QJsonObject> body = request.jsonObject();
    const QString refreshToken =
        body ? body->value(QLatin1String("refreshToken")).toString() : QString();
    if (refreshToken.isEmpty()) {
        return argusError(400, QStringLiteral("refreshToken is missing from the request body"));
    }
    const JwtSigner::Decoded decoded = m_signer.decode(refreshToken.toLatin1());
    switch (decoded.check) {
    case JwtSigner::Check::Malformed:
        return argusError(400, QStringLiteral("Malformed JWT"));
    case JwtSigner::Check::BadSignature:
        return argusError(400,
                          QStringLiteral("JWT signature does not match locally computed "
                                         "signature. JWT validity cannot be asserted and "
                                         "should not be trusted."));
    case JwtSigner::Check::Valid:
        break;
    }
    const QJsonObject &claims = decoded.claims;
    if (claims.value(QLatin1String("type")).toString() != refreshType
        || claims.value(QLatin1String("iss")).toString() != issuer) {
        return argusError(400, QStringLiteral("Invalid token type: a refresh token is required"));
    }
    if (claims.value(QLatin1String("exp")).toInteger() <= m_context.now()) {
        return argusError(401, QStringLiteral("Refresh token has expired. Please login again."));
    }
    const QByteArray accessToken = issue(claims.value(QLatin1String("sub")).toString(), accessType,
                                         m_context.config.argusLifetime);
    m_context.ledger.countRefresh(name());
    return HttpResponse::json(200,
                              {
                                  {QStringLiteral("accessToken"), QString::fromLatin1(accessToken)},
                                  {QStringLiteral("refreshToken"), refreshToken},
                              });
}

HttpResponse ArgusServer::dashboards(const HttpRequest &request) const
{
    if (request.method != "GET") {
        return methodNotAllowed(QByteArrayLiteral("GET"));
    }
    const QByteArray accessToken = request.bearerToken();
    const JwtSigner::Decoded decoded = m_signer.decode(accessToken);
    if (decoded.check != JwtSigner::Check::Valid
        || decoded.claims.value(QLatin1String("type")).toString() != accessType
        || decoded.claims.value(QLatin1String("exp")).toInteger() <= m_context.now()
        || !m_liveAccessTokens.contains(accessToken)) {
        return tomcatUnauthorized();
    }
    return HttpResponse::jsonArray(
        200,
        QJsonArray {QJsonObject {
            {QStringLiteral("id"), 100010},
            {QStringLiteral("createdById"), 100001},
            {QStringLiteral("createdDate"), qint64(1473971201852)},
            {QStringLiteral("modifiedById"), 100001},
            {QStringLiteral("modifiedDate"), qint64(1474463574596)},
            {QStringLiteral("name"), QStringLiteral("dashboard name")},
            {QStringLiteral("content"), QStringLiteral("dashboard content")},
            {QStringLiteral("ownerName"), QLatin1String(demo::argusUser)},
            {QStringLiteral("shared"), false},
            {QStringLiteral("description"), QStringLiteral("Dashboard description")},
        }});
}

QByteArray ArgusServer::issue(const QString &user, const QString &type, qint64 lifetime)
{
    const qint64 now = m_context.now();
    const QByteArray token = m_signer.sign({
        {QStringLiteral("iss"), issuer},
        {QStringLiteral("iat"), now},
        {QStringLiteral("exp"), now + lifetime},
        {QStringLiteral("sub"), user},
        {QStringLiteral("type"), type},
        {QStringLiteral("jti"), QString::fromLatin1(randomHex(16))},
    });
    if (type == accessType) {
        m_liveAccessTokens.insert(token);
    }
    m_context.ledger.recordIssued(token);
    return token;
}

} // namespace tokenkeeper::emulator
