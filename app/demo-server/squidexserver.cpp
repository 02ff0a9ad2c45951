#include "squidexserver.h"

#include "democredentials.h"
#include "randomtokens.h"
#include "servercontext.h"

#include <QJsonArray>

namespace tokenkeeper::emulator {

namespace {

const QString tokenPath = QStringLiteral("/identity-server/connect/token");
const QString schemasPath = QStringLiteral("/api/apps/demo-app/schemas");

HttpResponse openIddictError(int status, const QString &error, const QString &description,
                             const QString &errorId)
{
    return HttpResponse::json(
               status,
               {
                   {QStringLiteral("error"), error},
                   {QStringLiteral("error_description"), description},
                   {QStringLiteral("error_uri"),
                    QString(QStringLiteral("https://documentation.openiddict.com/errors/")
                            + errorId)},
               },
               QJsonDocument::Indented)
        .withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"))
        .withHeader(QByteArrayLiteral("Pragma"), QByteArrayLiteral("no-cache"));
}

} // namespace

SquidexServer::SquidexServer(ServerContext &context)
    : m_context(context)
{ }

QString SquidexServer::name() const
{
    return QStringLiteral("squidex");
}

RouteKind SquidexServer::route(const QString &path) const
{
    if (path == tokenPath) {
        return RouteKind::Token;
    }
    if (path == schemasPath) {
        return RouteKind::Api;
    }
    return RouteKind::None;
}

HttpResponse SquidexServer::handle(const HttpRequest &request)
{
    return request.path == tokenPath ? token(request) : schemas(request);
}

void SquidexServer::revoke()
{
    m_signer.rotateKey();
}

void SquidexServer::reset() { }

HttpResponse SquidexServer::token(const HttpRequest &request)
{
    if (request.method != "POST") {
        return methodNotAllowed(QByteArrayLiteral("POST"));
    }
    const QHash<QString, QString> fields = request.formFields();
    const QString grantType = fields.value(QStringLiteral("grant_type"));
    if (grantType.isEmpty()) {
        return openIddictError(400, QStringLiteral("invalid_request"),
                               QStringLiteral("The mandatory 'grant_type' parameter is missing."),
                               QStringLiteral("ID2029"));
    }
    if (grantType != u"client_credentials") {
        return openIddictError(
            400, QStringLiteral("unsupported_grant_type"),
            QStringLiteral("The specified 'grant_type' is not supported by this server."),
            QStringLiteral("ID2032"));
    }

    QString clientId = fields.value(QStringLiteral("client_id"));
    QString clientSecret = fields.value(QStringLiteral("client_secret"));
    if (const std::optional<BasicCredentials> basic = request.basicCredentials()) {
        clientId = decodeFormComponent(basic->user.toUtf8());
        clientSecret = decodeFormComponent(basic->password.toUtf8());
    }
    if (clientId != QLatin1String(demo::squidexClientId)
        || clientSecret != QLatin1String(demo::squidexClientSecret)) {
        return openIddictError(401, QStringLiteral("invalid_client"),
                               QStringLiteral("The specified client credentials are invalid."),
                               QStringLiteral("ID2055"))
            .withHeader(QByteArrayLiteral("WWW-Authenticate"),
                        QByteArrayLiteral(R"(Basic error="invalid_client", )"
                                          R"(error_description="The specified client )"
                                          R"(credentials are invalid.")"));
    }

    const QString scope = fields.value(QStringLiteral("scope"));
    if (scope != QLatin1String(demo::squidexScope)) {
        return openIddictError(400, QStringLiteral("invalid_scope"),
                               QStringLiteral("The specified 'scope' is invalid."),
                               QStringLiteral("ID2052"));
    }

    const qint64 now = m_context.now();
    const qint64 lifetime = m_context.config.squidexLifetime;
    const QByteArray accessToken = m_signer.sign({
        {QStringLiteral("iss"), QStringLiteral("squidex-emulator")},
        {QStringLiteral("sub"), clientId},
        {QStringLiteral("client_id"), clientId},
        {QStringLiteral("scope"), scope},
        {QStringLiteral("iat"), now},
        {QStringLiteral("nbf"), now},
        {QStringLiteral("exp"), now + lifetime},
        {QStringLiteral("jti"), QString::fromLatin1(randomHex(16))},
    });
    m_context.ledger.recordIssued(accessToken);
    m_context.ledger.countLogin(name());
    return HttpResponse::json(
               200,
               {
                   {QStringLiteral("access_token"), QString::fromLatin1(accessToken)},
                   {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                   {QStringLiteral("expires_in"), lifetime},
                   {QStringLiteral("scope"), scope},
               },
               QJsonDocument::Indented)
        .withHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"))
        .withHeader(QByteArrayLiteral("Pragma"), QByteArrayLiteral("no-cache"));
}

HttpResponse SquidexServer::schemas(const HttpRequest &request) const
{
    if (request.method != "GET") {
        return methodNotAllowed(QByteArrayLiteral("GET"));
    }
    const JwtSigner::Decoded decoded = m_signer.decode(request.bearerToken());
    if (decoded.check != JwtSigner::Check::Valid
        || decoded.claims.value(QLatin1String("exp")).toInteger() <= m_context.now()) {
        return HttpResponse::empty(401).withHeader(
            QByteArrayLiteral("WWW-Authenticate"),
            QByteArrayLiteral(R"(Bearer error="invalid_token", )"
                              R"(error_description="The specified token is no longer valid.")"));
    }
    const QJsonObject schema {
        {QStringLiteral("id"), QStringLiteral("0f7b2c1e-5d3a-4c8e-9b6f-2a1d7e4c9b30")},
        {QStringLiteral("name"), QStringLiteral("posts")},
        {QStringLiteral("type"), QStringLiteral("Default")},
        {QStringLiteral("isPublished"), true},
    };
    return HttpResponse::json(200,
                              {
                                  {QStringLiteral("items"), QJsonArray {schema}},
                                  {QStringLiteral("_links"), QJsonObject {}},
                              });
}

} // namespace tokenkeeper::emulator
