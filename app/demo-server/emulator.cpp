#include "emulator.h"

#include "acmeserver.h"
#include "adminapi.h"
#include "argusserver.h"
#include "emulatedserver.h"
#include "faultinjector.h"
#include "httpconnection.h"
#include "httpserver.h"
#include "oauth2server.h"
#include "randomtokens.h"
#include "sensuserver.h"
#include "servercontext.h"
#include "squidexserver.h"
#include "squirroserver.h"

#include <QLocale>
#include <QLoggingCategory>
#include <QTimer>

namespace tokenkeeper::emulator {

// One line per request (method, path, status; never a header or body). Off unless enabled,
// e.g. by the demo server's --verbose.
Q_LOGGING_CATEGORY(lcRequests, "tokenkeeper.emulator.requests", QtWarningMsg)

namespace {

constexpr qint64 hugeBodySize = 10 * 1024 * 1024;

HttpResponse faultResponse(const FaultInjector::Plan &plan)
{
    switch (plan.mode) {
    case FaultInjector::Mode::RateLimited:
        return HttpResponse::json(429,
                                  {{QStringLiteral("error"), QStringLiteral("too_many_requests")},
                                   {QStringLiteral("message"),
                                    QStringLiteral("Rate limit exceeded, retry later.")}})
            .withHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(plan.retryAfter));
    case FaultInjector::Mode::Garbage: {
        HttpResponse response;
        response.body = randomBytes(512);
        response.body[0] = '\xff'; // never valid JSON, not even valid UTF-8
        return response.withHeader(QByteArrayLiteral("Content-Type"),
                                   QByteArrayLiteral("application/json"));
    }
    case FaultInjector::Mode::Unauthorized:
        return HttpResponse::json(401,
                                  {{QStringLiteral("error"), QStringLiteral("invalid_token")},
                                   {QStringLiteral("message"),
                                    QStringLiteral("Token rejected (injected fault).")}})
            .withHeader(
                QByteArrayLiteral("WWW-Authenticate"),
                QByteArrayLiteral(R"(Bearer error="invalid_token", )"
                                  R"(error_description="Token rejected (injected fault).")"));
    case FaultInjector::Mode::Injection: {
        // A hostile token endpoint: its token would add a header to the
        // client's API requests, and steer a terminal, if used as it is.
        const QString token = QStringLiteral("injected\r\nX-Injected: yes");
        return HttpResponse::json(200,
                                  {{QStringLiteral("access_token"), token},
                                   {QStringLiteral("accessToken"), token},
                                   {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                                   {QStringLiteral("expires_in"), 300}});
    }
    case FaultInjector::Mode::Words:
        return HttpResponse::json(400,
                                  {{QStringLiteral("error"), QStringLiteral("invalid_grant")},
                                   {QStringLiteral("error_description"), plan.words},
                                   {QStringLiteral("message"), plan.words}});
    case FaultInjector::Mode::Html:
        return HttpResponse::html(
            502,
            QByteArrayLiteral("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
                              "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
                              "<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n"));
    default:
        return HttpResponse::text(503, QByteArrayLiteral("Service Unavailable (injected fault)"));
    }
}

} // namespace

Emulator::Emulator(QObject *parent)
    : QObject(parent)
    , m_context(std::make_unique<ServerContext>())
    , m_faults(std::make_unique<FaultInjector>())
    , m_http(std::make_unique<HttpServer>())
{
    m_servers.push_back(std::make_unique<SquirroServer>(*m_context));
    m_servers.push_back(std::make_unique<SensuServer>(*m_context));
    m_servers.push_back(std::make_unique<SquidexServer>(*m_context));
    m_servers.push_back(std::make_unique<ArgusServer>(*m_context));
    m_servers.push_back(std::make_unique<OAuth2Server>(*m_context));
    m_servers.push_back(std::make_unique<AcmeServer>(*m_context));
    m_admin = std::make_unique<AdminApi>(*m_context, *m_faults, m_servers);
    connect(m_http.get(), &HttpServer::requestReceived, this, &Emulator::handle);
}

Emulator::~Emulator() = default;

bool Emulator::listen(quint16 port)
{
    return m_http->listen(port);
}

quint16 Emulator::port() const
{
    return m_http->port();
}

QUrl Emulator::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    return url;
}

QString Emulator::errorString() const
{
    return m_http->errorString();
}

void Emulator::setDefaultConfig(const EmulatorConfig &config)
{
    m_context->defaults = config;
    m_context->config = config;
}

void Emulator::setClock(std::function<qint64()> nowMsecs)
{
    m_context->nowMsecs = std::move(nowMsecs);
}

void Emulator::handle(HttpConnection *connection, const HttpRequest &request)
{
    m_context->ledger.countRequest(request.path);
    if (AdminApi::claims(request.path)) {
        send(connection, request, m_admin->handle(request));
        return;
    }
    EmulatedServer *server = nullptr;
    RouteKind kind = RouteKind::None;
    for (const std::unique_ptr<EmulatedServer> &candidate : m_servers) {
        kind = candidate->route(request.path);
        if (kind != RouteKind::None) {
            server = candidate.get();
            break;
        }
    }
    if (server == nullptr) {
        send(connection, request,
             HttpResponse::json(404, {{QStringLiteral("error"), QStringLiteral("not found")}}));
        return;
    }

    const std::optional<FaultInjector::Plan> fault = m_faults->take(kind);
    if (!fault) {
        send(connection, request, server->handle(request));
        return;
    }
    switch (fault->mode) {
    case FaultInjector::Mode::Slow:
        // The connection is the context: a client that gives up cancels the answer.
        QTimer::singleShot(fault->delayMs, connection, [this, connection, request, server] {
            send(connection, request, server->handle(request));
        });
        return;
    case FaultInjector::Mode::Late: {
        // Done now (a refresh token rotates); the answer comes late, and
        // never to a client that gave up.
        const HttpResponse response = server->handle(request);
        QTimer::singleShot(fault->delayMs, connection, [this, connection, request, response] {
            send(connection, request, response);
        });
        return;
    }
    case FaultInjector::Mode::Lost:
        // Done (a refresh token rotates), and the answer is lost on the way.
        server->handle(request);
        qCInfo(lcRequests).noquote() << request.method << request.path << "handled, answer lost";
        connection->drop();
        return;
    case FaultInjector::Mode::Drop:
        qCInfo(lcRequests).noquote() << request.method << request.path << "dropped";
        connection->drop();
        return;
    case FaultInjector::Mode::Huge: {
        qCInfo(lcRequests).noquote() << request.method << request.path << "200 (huge)";
        HttpResponse response;
        response.withHeader(QByteArrayLiteral("Content-Type"),
                            QByteArrayLiteral("application/json"));
        stamp(response);
        connection->respondWithPadding(response, hugeBodySize);
        return;
    }
    default:
        send(connection, request, faultResponse(*fault));
        return;
    }
}

void Emulator::send(HttpConnection *connection, const HttpRequest &request, HttpResponse response)
{
    stamp(response);
    qCInfo(lcRequests).noquote() << request.method << request.path << response.status;
    connection->respond(response);
}

void Emulator::stamp(HttpResponse &response) const
{
    // The Date header lets a client compare a JWT's exp with the server's clock.
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(m_context->nowMsecs(), Qt::UTC);
    response.withHeader(
        QByteArrayLiteral("Date"),
        QLocale::c().toString(now, QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'")).toLatin1());
    response.withHeader(QByteArrayLiteral("Server"), QByteArrayLiteral("tokenkeeper-emulator"));
}

} // namespace tokenkeeper::emulator
