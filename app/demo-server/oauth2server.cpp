#include "oauth2server.h"

#include "democredentials.h"
#include "randomtokens.h"
#include "servercontext.h"

namespace tokenkeeper::emulator {

namespace {

const QString tokenPath = QStringLiteral("/oauth/token");
const QString mePath = QStringLiteral("/oauth/api/me");
const QString echoPath = QStringLiteral("/oauth/api/echo");

HttpResponse oauthError(int status, const QString &error, const QString &description)
{
    return HttpResponse::json(status,
                              {
                                  {QStringLiteral("error"), error},
                                  {QStringLiteral("error_description"), description},
                              })
        .withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"))
        .withHeader(QByteArrayLiteral("Pragma"), QByteArrayLiteral("no-cache"));
}

HttpResponse invalidGrant(const QString &description)
{
    return oauthError(400, QStringLiteral("invalid_grant"), description);
}

HttpResponse invalidRequest(const QString &description)
{
    return oauthError(400, QStringLiteral("invalid_request"), description);
}

} // namespace

OAuth2Server::OAuth2Server(ServerContext &context)
    : m_context(context)
{ }

QString OAuth2Server::name() const
{
    return QStringLiteral("oauth2");
}

RouteKind OAuth2Server::route(const QString &path) const
{
    if (path == tokenPath) {
        return RouteKind::Token;
    }
    if (path == mePath || path == echoPath) {
        return RouteKind::Api;
    }
    return RouteKind::None;
}

HttpResponse OAuth2Server::handle(const HttpRequest &request)
{
    if (request.path == tokenPath) {
        return token(request);
    }
    return request.path == echoPath ? echo(request) : me(request);
}

void OAuth2Server::revoke()
{
    m_families.clear();
    m_refreshTokens.clear();
    m_accessTokens.clear();
}

void OAuth2Server::reset() { }

HttpResponse OAuth2Server::token(const HttpRequest &request)
{
    if (request.method != "POST") {
        return methodNotAllowed(QByteArrayLiteral("POST"));
    }
    const QHash<QString, QString> fields = request.formFields();
    const QString grantType = fields.value(QStringLiteral("grant_type"));
    if (grantType.isEmpty()) {
        return invalidRequest(QStringLiteral("The grant_type parameter is missing."));
    }
    QString clientId;
    if (std::optional<HttpResponse> failure = authenticateClient(request, fields, &clientId)) {
        return *failure;
    }
    const bool confidential = clientId == QLatin1String(demo::oauthClientId);
    const QString scope = fields.value(QStringLiteral("scope"));

    if (grantType == u"client_credentials") {
        if (!confidential) {
            return oauthError(400, QStringLiteral("unauthorized_client"),
                              QStringLiteral("A public client cannot use client_credentials."));
        }
        m_context.ledger.countLogin(name());
        return issue(Grant {clientId, clientId, scope, {}, 0}, false);
    }
    if (grantType == u"password") {
        const QString user = fields.value(QStringLiteral("username"));
        const QString password = fields.value(QStringLiteral("password"));
        if (user.isEmpty() || !fields.contains(QStringLiteral("password"))) {
            return invalidRequest(QStringLiteral("The username and password parameters are "
                                                 "required."));
        }
        if (user != QLatin1String(demo::oauthUser)
            || password != QLatin1String(demo::oauthPassword)) {
            return invalidGrant(QStringLiteral("Invalid resource owner credentials."));
        }
        const QByteArray familyId = randomHex(16);
        m_families.insert(familyId, Family {clientId, user, scope});
        m_context.ledger.countLogin(name());
        return issue(Grant {clientId, user, scope, familyId, 0}, true);
    }
    if (grantType == u"refresh_token") {
        return refreshGrant(clientId, fields);
    }
    return oauthError(400, QStringLiteral("unsupported_grant_type"),
                      QStringLiteral("The grant type is not supported by this server."));
}

std::optional<HttpResponse> OAuth2Server::authenticateClient(const HttpRequest &request,
                                                             const QHash<QString, QString> &fields,
                                                             QString *clientId) const
{
    const std::optional<BasicCredentials> basic = request.basicCredentials();
    QString secret;
    if (basic) {
        // RFC 6749 2.3.1: the id and secret are form-encoded before the Basic encoding.
        *clientId = decodeFormComponent(basic->user.toUtf8());
        secret = decodeFormComponent(basic->password.toUtf8());
    } else {
        *clientId = fields.value(QStringLiteral("client_id"));
        secret = fields.value(QStringLiteral("client_secret"));
    }
    const bool ok = (*clientId == QLatin1String(demo::oauthClientId)
                     && secret == QLatin1String(demo::oauthClientSecret))
        || (*clientId == QLatin1String(demo::oauthPublicClientId) && secret.isEmpty());
    if (ok) {
        return std::nullopt;
    }
    HttpResponse failure =
        oauthError(401, QStringLiteral("invalid_client"),
                   clientId->isEmpty() ? QStringLiteral("Client authentication is required.")
                                       : QStringLiteral("Client authentication failed."));
    if (basic) {
        failure.withHeader(QByteArrayLiteral("WWW-Authenticate"),
                           QByteArrayLiteral(R"(Basic realm="oauth2", error="invalid_client")"));
    }
    return failure;
}

HttpResponse OAuth2Server::refreshGrant(const QString &clientId,
                                        const QHash<QString, QString> &fields)
{
    const QByteArray refreshToken = fields.value(QStringLiteral("refresh_token")).toLatin1();
    if (refreshToken.isEmpty()) {
        return invalidRequest(QStringLiteral("The refresh_token parameter is missing."));
    }
    if (m_retiredRefreshTokens.contains(refreshToken)) {
        const QByteArray familyId = m_retiredRefreshTokens.value(refreshToken);
        if (m_families.contains(familyId)) {
            // A rotated-out refresh token came back: someone has a copy. Revoke the family.
            revokeFamily(familyId);
            m_context.ledger.countReuse(name());
        }
        return invalidGrant(QStringLiteral("The refresh token has already been used."));
    }
    const QByteArray familyId = m_refreshTokens.value(refreshToken);
    const auto family = m_families.constFind(familyId);
    if (family == m_families.constEnd()) {
        return invalidGrant(QStringLiteral("The refresh token is invalid or revoked."));
    }
    if (family->clientId != clientId) {
        return invalidGrant(QStringLiteral("The refresh token was issued to another client."));
    }
    m_refreshTokens.remove(refreshToken);
    m_retiredRefreshTokens.insert(refreshToken, familyId);
    m_context.ledger.countRefresh(name());
    return issue(Grant {family->clientId, family->subject, family->scope, familyId, 0}, true);
}

HttpResponse OAuth2Server::issue(const Grant &grant, bool withRefreshToken)
{
    const qint64 lifetime = m_context.config.oauth2Lifetime;
    const QByteArray accessToken = randomUrlSafe(32);
    Grant stored = grant;
    stored.expiresAt = m_context.now() + lifetime;
    m_accessTokens.insert(accessToken, stored);
    m_context.ledger.recordIssued(accessToken);

    QJsonObject json {
        {QStringLiteral("access_token"), QString::fromLatin1(accessToken)},
        {QStringLiteral("token_type"), QStringLiteral("Bearer")},
        {QStringLiteral("expires_in"), lifetime},
    };
    if (withRefreshToken) {
        const QByteArray refreshToken = randomUrlSafe(32);
        m_refreshTokens.insert(refreshToken, grant.familyId);
        m_context.ledger.recordIssued(refreshToken);
        json.insert(QStringLiteral("refresh_token"), QString::fromLatin1(refreshToken));
    }
    if (!grant.scope.isEmpty()) {
        json.insert(QStringLiteral("scope"), grant.scope);
    }
    return HttpResponse::json(200, json)
        .withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"))
        .withHeader(QByteArrayLiteral("Pragma"), QByteArrayLiteral("no-cache"));
}

const OAuth2Server::Grant *OAuth2Server::validGrant(const HttpRequest &request) const
{
    const auto grant = m_accessTokens.constFind(request.bearerToken());
    const bool valid = grant != m_accessTokens.constEnd() && grant->expiresAt > m_context.now()
        && (grant->familyId.isEmpty() || m_families.contains(grant->familyId));
    return valid ? &*grant : nullptr;
}

HttpResponse OAuth2Server::invalidToken()
{
    return oauthError(401, QStringLiteral("invalid_token"),
                      QStringLiteral("The access token is invalid, expired or revoked."))
        .withHeader(QByteArrayLiteral("WWW-Authenticate"),
                    QByteArrayLiteral(R"(Bearer realm="oauth2", error="invalid_token", )"
                                      R"(error_description="The access token is invalid, )"
                                      R"(expired or revoked.")"));
}

HttpResponse OAuth2Server::echo(const HttpRequest &request) const
{
    if (!validGrant(request)) {
        return invalidToken();
    }
    QJsonObject headers;
    for (auto it = request.headers.cbegin(); it != request.headers.cend(); ++it) {
        if (it.key() != "authorization") {
            headers.insert(QString::fromLatin1(it.key()), QString::fromUtf8(it.value()));
        }
    }
    return HttpResponse::json(200,
                              {
                                  {QStringLiteral("method"), QString::fromLatin1(request.method)},
                                  {QStringLiteral("path"), request.path},
                                  {QStringLiteral("query"), QString::fromUtf8(request.query)},
                                  {QStringLiteral("headers"), headers},
                                  {QStringLiteral("body"), QString::fromUtf8(request.body)},
                                  {QStringLiteral("bodyBytes"), request.body.size()},
                              });
}

HttpResponse OAuth2Server::me(const HttpRequest &request) const
{
    if (request.method != "GET") {
        return methodNotAllowed(QByteArrayLiteral("GET"));
    }
    const Grant *grant = validGrant(request);
    if (!grant) {
        return invalidToken();
    }
    QJsonObject json {
        {QStringLiteral("sub"), grant->subject},
        {QStringLiteral("client_id"), grant->clientId},
    };
    if (!grant->scope.isEmpty()) {
        json.insert(QStringLiteral("scope"), grant->scope);
    }
    return HttpResponse::json(200, json);
}

void OAuth2Server::revokeFamily(const QByteArray &familyId)
{
    m_families.remove(familyId);
    m_refreshTokens.removeIf(
        [&familyId](QHash<QByteArray, QByteArray>::iterator it) { return it.value() == familyId; });
    m_accessTokens.removeIf([&familyId](QHash<QByteArray, Grant>::iterator it) {
        return it.value().familyId == familyId;
    });
}

} // namespace tokenkeeper::emulator
