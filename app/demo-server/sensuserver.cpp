#include "sensuserver.h"

#include "democredentials.h"
#include "randomtokens.h"
#include "servercontext.h"

#include <QJsonArray>

namespace tokenkeeper::emulator {

namespace {

const QString authPath = QStringLiteral("/auth");
const QString testPath = QStringLiteral("/auth/test");
const QString tokenPath = QStringLiteral("/auth/token");
const QString logoutPath = QStringLiteral("/auth/logout");
const QString namespacesPath = QStringLiteral("/api/core/v2/namespaces");

HttpResponse unauthorized(const QByteArray &text)
{
    return HttpResponse::text(401, text);
}

HttpResponse invalidCredentials()
{
    return HttpResponse::json(401,
                              {{QStringLiteral("Code"), 5},
                               {QStringLiteral("Message"), QStringLiteral("invalid credentials")}});
}

} // namespace

SensuServer::SensuServer(ServerContext &context)
    : m_context(context)
{ }

QString SensuServer::name() const
{
    return QStringLiteral("sensu");
}

RouteKind SensuServer::route(const QString &path) const
{
    if (path == authPath || path == testPath || path == tokenPath || path == logoutPath) {
        return RouteKind::Token;
    }
    if (path == namespacesPath) {
        return RouteKind::Api;
    }
    return RouteKind::None;
}

HttpResponse SensuServer::handle(const HttpRequest &request)
{
    if (request.path == authPath) {
        return login(request);
    }
    if (request.path == testPath) {
        return test(request);
    }
    if (request.path == tokenPath) {
        return refresh(request);
    }
    if (request.path == logoutPath) {
        return logout(request);
    }
    return namespaces(request);
}

void SensuServer::revoke()
{
    m_sessions.clear();
}

void SensuServer::reset() { }

QByteArray SensuServer::checkCredentials(const HttpRequest &request) const
{
    const std::optional<BasicCredentials> credentials = request.basicCredentials();
    if (!credentials) {
        return QByteArrayLiteral("Request unauthorized");
    }
    if (credentials->user == QLatin1String(demo::sensuUser)
        && credentials->password == QLatin1String(demo::sensuPassword)) {
        return {};
    }
    // The disabled user's password is right, but a disabled user cannot log in.
    return QByteArrayLiteral("Unauthorized");
}

HttpResponse SensuServer::login(const HttpRequest &request)
{
    if (request.method != "GET") {
        return methodNotAllowed(QByteArrayLiteral("GET"));
    }
    const QByteArray problem = checkCredentials(request);
    if (!problem.isEmpty()) {
        return unauthorized(problem);
    }
    const QByteArray sessionId = randomHex(16);
    m_sessions.insert(sessionId, Session {QLatin1String(demo::sensuUser), {}, 0});
    m_context.ledger.countLogin(name());
    return issue(sessionId);
}

HttpResponse SensuServer::test(const HttpRequest &request) const
{
    if (request.method != "GET") {
        return methodNotAllowed(QByteArrayLiteral("GET"));
    }
    const QByteArray problem = checkCredentials(request);
    return problem.isEmpty() ? HttpResponse::empty(200) : unauthorized(problem);
}

HttpResponse SensuServer::refresh(const HttpRequest &request)
{
    if (request.method != "POST") {
        return methodNotAllowed(QByteArrayLiteral("POST"));
    }
    const QByteArray accessToken = request.bearerToken();
    if (accessToken.isEmpty()) {
        return unauthorized(QByteArrayLiteral("Request unauthorized"));
    }
    const std::optional<QJsonObject> body = request.jsonObject();
    if (!body) {
        return HttpResponse::text(400, QByteArrayLiteral("invalid request body"));
    }
    const QByteArray refreshToken =
        body->value(QLatin1String("refresh_token")).toString().toLatin1();
    if (refreshToken.isEmpty()) {
        return HttpResponse::text(400, QByteArrayLiteral("missing refresh_token"));
    }
    const QByteArray accessSessionId = accessSession(accessToken);
    if (accessSessionId.isEmpty()) {
        return unauthorized(QByteArrayLiteral("Unauthorized"));
    }

    if (m_retiredRefreshTokens.contains(refreshToken)) {
        const QByteArray sessionId = m_retiredRefreshTokens.value(refreshToken);
        if (liveSession(sessionId) == nullptr) {
            return unauthorized(QByteArrayLiteral("Unauthorized"));
        }
        // A rotated-out refresh token came back: someone has a copy. End the session.
        killSession(sessionId);
        m_context.ledger.countReuse(name());
        return HttpResponse::text(400, QByteArrayLiteral("invalid access token"));
    }

    const QByteArray sessionId = m_refreshTokens.value(refreshToken);
    Session *session = liveSession(sessionId);
    if (session == nullptr) {
        return unauthorized(QByteArrayLiteral("Unauthorized"));
    }
    if (accessSessionId != sessionId) {
        return HttpResponse::text(400, QByteArrayLiteral("invalid access token"));
    }
    const JwtSigner::Decoded decoded = m_signer.decode(refreshToken);
    if (decoded.check != JwtSigner::Check::Valid
        || decoded.claims.value(QLatin1String("exp")).toInteger() <= m_context.now()) {
        killSession(sessionId);
        return unauthorized(QByteArrayLiteral("Unauthorized"));
    }

    m_refreshTokens.remove(refreshToken);
    m_retiredRefreshTokens.insert(refreshToken, sessionId);
    m_context.ledger.countRefresh(name());
    return issue(sessionId);
}

HttpResponse SensuServer::logout(const HttpRequest &request)
{
    if (request.method != "POST") {
        return methodNotAllowed(QByteArrayLiteral("POST"));
    }
    const QByteArray sessionId = accessSession(request.bearerToken());
    if (sessionId.isEmpty()) {
        return unauthorized(QByteArrayLiteral("Unauthorized"));
    }
    const std::optional<QJsonObject> body = request.jsonObject();
    if (!body) {
        return HttpResponse::text(400, QByteArrayLiteral("invalid request body"));
    }
    killSession(sessionId);
    return HttpResponse::empty(200);
}

HttpResponse SensuServer::namespaces(const HttpRequest &request)
{
    if (request.method != "GET") {
        return methodNotAllowed(QByteArrayLiteral("GET"));
    }
    const QByteArray accessToken = request.bearerToken();
    const JwtSigner::Decoded decoded = m_signer.decode(accessToken);
    if (decoded.check != JwtSigner::Check::Valid
        || decoded.claims.value(QLatin1String("exp")).toInteger() <= m_context.now()
        || liveSession(m_accessTokens.value(accessToken)) == nullptr) {
        return invalidCredentials();
    }
    return HttpResponse::jsonArray(
        200, QJsonArray {QJsonObject {{QStringLiteral("name"), QStringLiteral("default")}}});
}

HttpResponse SensuServer::issue(const QByteArray &sessionId)
{
    Session &session = m_sessions[sessionId];
    const qint64 now = m_context.now();
    const qint64 expiresAt = now + m_context.config.sensuLifetime;
    const QJsonObject provider {
        {QStringLiteral("provider_id"), QStringLiteral("basic/default")},
        {QStringLiteral("provider_type"), QStringLiteral("basic")},
        {QStringLiteral("user_id"), session.user},
    };
    const QJsonArray groups {QStringLiteral("cluster-admins"), QStringLiteral("system:users")};
    const QByteArray accessToken = m_signer.sign({
        {QStringLiteral("exp"), expiresAt},
        {QStringLiteral("iat"), now},
        {QStringLiteral("jti"), QString::fromLatin1(randomHex(16))},
        {QStringLiteral("sub"), session.user},
        {QStringLiteral("groups"), groups},
        {QStringLiteral("provider"), provider},
    });
    const QByteArray refreshToken = m_signer.sign({
        {QStringLiteral("exp"), now + m_context.config.sensuRefreshLifetime},
        {QStringLiteral("iat"), now},
        {QStringLiteral("jti"), QString::fromLatin1(randomHex(16))},
        {QStringLiteral("sub"), session.user},
    });
    session.refreshToken = refreshToken;
    session.lastIssued = now;
    m_accessTokens.insert(accessToken, sessionId);
    m_refreshTokens.insert(refreshToken, sessionId);
    m_context.ledger.recordIssued(accessToken);
    m_context.ledger.recordIssued(refreshToken);
    return HttpResponse::json(
        200,
        {
            {QStringLiteral("access_token"), QString::fromLatin1(accessToken)},
            {QStringLiteral("expires_at"), expiresAt},
            {QStringLiteral("refresh_token"), QString::fromLatin1(refreshToken)},
        });
}

SensuServer::Session *SensuServer::liveSession(const QByteArray &sessionId)
{
    const auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end()) {
        return nullptr;
    }
    if (it->lastIssued + m_context.config.sessionIdle <= m_context.now()) {
        m_sessions.erase(it);
        return nullptr;
    }
    return &it.value();
}

QByteArray SensuServer::accessSession(const QByteArray &accessToken) const
{
    if (accessToken.isEmpty() || m_signer.decode(accessToken).check != JwtSigner::Check::Valid) {
        return {};
    }
    return m_accessTokens.value(accessToken);
}

void SensuServer::killSession(const QByteArray &sessionId)
{
    m_sessions.remove(sessionId);
}

} // namespace tokenkeeper::emulator
