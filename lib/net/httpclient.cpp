#include "httpclient.h"

#include "core/logging.h"

#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace tokenkeeper {

namespace {

QString hostOf(const QUrl &url)
{
    return url.port() > 0 ? url.host() % u':' % QString::number(url.port()) : url.host();
}

Error networkError(QNetworkReply::NetworkError code, const QUrl &url, const QString &qtMessage)
{
    const QString host = hostOf(url);
    switch (code) {
    case QNetworkReply::ConnectionRefusedError:
        return {Error::Kind::Network,
                QStringLiteral("Could not connect to %1: connection refused. Is the server running "
                               "and the URL right?")
                    .arg(host)};
    case QNetworkReply::RemoteHostClosedError:
        return {Error::Kind::Network,
                QStringLiteral("%1 closed the connection without answering.").arg(host)};
    case QNetworkReply::HostNotFoundError:
        return {Error::Kind::Network,
                QStringLiteral("Host %1 not found. Check the server URL.").arg(url.host())};
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return {Error::Kind::Network, QStringLiteral("%1 did not answer in time.").arg(host)};
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::TooManyRedirectsError:
    case QNetworkReply::InsecureRedirectError:
        return {Error::Kind::Tls,
                QStringLiteral("Secure connection to %1 failed: %2").arg(host, qtMessage)};
    default:
        return {Error::Kind::Network,
                QStringLiteral("Network error talking to %1: %2").arg(host, qtMessage)};
    }
}

struct Exchange
{
    QByteArray body;
    bool tooLarge = false;
    bool timedOut = false;
    bool done = false;
};

} // namespace

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

QByteArray HttpResponse::mimeType() const
{
    QByteArray type = header(QByteArrayLiteral("Content-Type"));
    const qsizetype semicolon = type.indexOf(';');
    if (semicolon >= 0) {
        type.truncate(semicolon);
    }
    return type.trimmed().toLower();
}

std::optional<QDateTime> HttpResponse::serverDate() const
{
    const QByteArray date = header(QByteArrayLiteral("Date"));
    if (date.isEmpty()) {
        return std::nullopt;
    }
    // RFC 7231 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    QDateTime parsed = QLocale::c().toDateTime(QString::fromLatin1(date).trimmed(),
                                               QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!parsed.isValid()) {
        return std::nullopt;
    }
    parsed.setTimeSpec(Qt::UTC);
    return parsed;
}

int HttpResponse::retryAfterSeconds() const
{
    const QByteArray value = header(QByteArrayLiteral("Retry-After")).trimmed();
    if (value.isEmpty()) {
        return -1;
    }
    bool isNumber = false;
    const int seconds = value.toInt(&isNumber);
    if (isNumber) {
        return qMax(0, seconds);
    }
    const QDateTime when = QLocale::c().toDateTime(
        QString::fromLatin1(value), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid()) {
        return -1;
    }
    QDateTime utc = when;
    utc.setTimeSpec(Qt::UTC);
    const QDateTime reference = serverDate().value_or(QDateTime::currentDateTimeUtc());
    return int(qMax<qint64>(0, reference.secsTo(utc)));
}

HttpClient::HttpClient(QNetworkAccessManager *nam, Options options, QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_options(options)
{ }

void HttpClient::send(const HttpRequest &request, QObject *context, Callback done)
{
    QNetworkRequest qreq(request.url);
    qreq.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                      QNetworkRequest::ManualRedirectPolicy);
    qreq.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    qreq.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    qreq.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    qreq.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    qreq.setAttribute(QNetworkRequest::AuthenticationReuseAttribute, QNetworkRequest::Manual);
    qreq.setHeader(
        QNetworkRequest::UserAgentHeader,
        QByteArray(QByteArrayLiteral("Tokenkeeper/") + QByteArrayLiteral(TOKENKEEPER_VERSION)));
    for (const auto &[name, value] : request.headers) {
        qreq.setRawHeader(name, value);
    }

    QNetworkReply *reply = request.body.isEmpty() && request.method == "GET"
        ? m_nam->get(qreq)
        : m_nam->sendCustomRequest(qreq, request.method, request.body);
    qCDebug(lcHttp) << request.method << request.url.toDisplayString(QUrl::RemoveQuery);

    auto exchange = std::make_shared<Exchange>();
    const qint64 maxBody = m_options.maxBodyBytes;
    const QUrl url = request.url;
    const int timeoutMs = m_options.timeoutMs;

    auto *deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, reply, [reply, exchange] {
        exchange->timedOut = true;
        reply->abort();
    });
    deadline->start(timeoutMs);

    connect(reply, &QNetworkReply::metaDataChanged, reply, [reply, exchange, maxBody] {
        const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
        if (length.isValid() && length.toLongLong() > maxBody) {
            exchange->tooLarge = true;
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::readyRead, reply, [reply, exchange, maxBody] {
        exchange->body += reply->readAll();
        if (exchange->body.size() > maxBody) {
            exchange->tooLarge = true;
            exchange->body.clear();
            reply->abort();
        }
    });

    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, context,
            [reply, exchange, url, timeoutMs, maxBody, done = std::move(done)] {
                reply->deleteLater();
                if (exchange->done) {
                    return;
                }
                exchange->done = true;
                if (exchange->tooLarge) {
                    done(Error(Error::Kind::MalformedResponse,
                               QStringLiteral("The answer from %1 is larger than %2 KiB; this is "
                                              "not a token response. Check the URL.")
                                   .arg(hostOf(url))
                                   .arg(maxBody / 1024)));
                    return;
                }
                if (exchange->timedOut) {
                    done(Error(Error::Kind::Network,
                               QStringLiteral("%1 did not answer within %2 s.")
                                   .arg(hostOf(url))
                                   .arg(timeoutMs / 1000.0, 0, 'g', 3)));
                    return;
                }
                const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
                if (!status.isValid()) {
                    done(networkError(reply->error(), url, reply->errorString()));
                    return;
                }
                exchange->body += reply->readAll();
                if (exchange->body.size() > maxBody) {
                    done(Error(Error::Kind::MalformedResponse,
                               QStringLiteral("The answer from %1 is larger than %2 KiB.")
                                   .arg(hostOf(url))
                                   .arg(maxBody / 1024)));
                    return;
                }
                HttpResponse response;
                response.status = status.toInt();
                response.body = std::move(exchange->body);
                for (const auto &pair : reply->rawHeaderPairs()) {
                    response.headers.append({pair.first, pair.second});
                }
                qCDebug(lcHttp) << "HTTP" << response.status << url.path();
                done(std::move(response));
            });
}

} // namespace tokenkeeper
