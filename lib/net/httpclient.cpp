#include "httpclient.h"

#include "core/logging.h"
#include "core/text.h"

#include <QIODevice>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace tokenkeeper {

namespace {

Error networkError(QNetworkReply::NetworkError code, const QUrl &url, const QString &qtMessage)
{
    const QString host = hostAndPort(url);
    switch (code) {
    case QNetworkReply::ConnectionRefusedError:
        return {Error::Kind::Network,
                QStringLiteral("Could not connect to %1: connection refused. Is the server running "
                               "and the URL right?")
                    .arg(host)};
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::ContentReSendError: // closed, and a OneShotBody kept it from a resend
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

// A request body that can be read once only. QNetworkAccessManager quietly
// sends a request again when its connection closes before any answer (seen
// with Qt 6.4); for a rotating refresh token that is a reuse the server
// punishes. A body that cannot be rewound turns that resend into
// ContentReSendError: the caller hears that the answer was lost instead.
class OneShotBody final : public QIODevice
{
public:
    OneShotBody(QByteArray data, QObject *parent)
        : QIODevice(parent)
        , m_data(std::move(data))
    {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }
    bool reset() override { return false; }
    bool seek(qint64) override { return false; }
    qint64 bytesAvailable() const override
    {
        return m_data.size() - m_read + QIODevice::bytesAvailable();
    }

protected:
    qint64 readData(char *into, qint64 maxSize) override
    {
        const qint64 count = qMin(maxSize, m_data.size() - m_read);
        std::copy_n(m_data.constData() + m_read, count, into);
        m_read += count;
        return count;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_read = 0;
};

// RFC 7231 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT", read as UTC
// (parsing date and time apart keeps local daylight-saving gaps out of it).
std::optional<QDateTime> parseHttpDate(const QByteArray &text)
{
    const QString value = QString::fromLatin1(text).trimmed();
    const qsizetype comma = value.indexOf(u',');
    const QStringList parts = value.mid(comma + 1).split(u' ', Qt::SkipEmptyParts);
    if (parts.size() != 5 || parts[4] != u"GMT") {
        return std::nullopt;
    }
    const QDate date = QLocale::c().toDate(parts[0] + u' ' + parts[1] + u' ' + parts[2],
                                           QStringLiteral("d MMM yyyy"));
    const QTime time = QTime::fromString(parts[3], QStringLiteral("HH:mm:ss"));
    if (!date.isValid() || !time.isValid()) {
        return std::nullopt;
    }
    return QDateTime(date, time, Qt::UTC);
}

struct Exchange
{
    QByteArray body;
    bool tooLarge = false;
    bool cut = false;
    bool timedOut = false;
    bool sent = false; // the request went out in full: the server may act on it
    int waitedMs = 0; // the deadline that ran out
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
    return parseHttpDate(date);
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
    const auto parsed = parseHttpDate(value);
    if (!parsed) {
        return -1;
    }
    const QDateTime when = *parsed;
    const QDateTime reference = serverDate().value_or(QDateTime::currentDateTimeUtc());
    return int(qBound(qint64(0), reference.secsTo(when), qint64(7 * 24 * 3600)));
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

    QNetworkReply *reply = nullptr;
    if (request.body.isEmpty() && request.method == "GET") {
        reply = m_nam->get(qreq);
    } else if (request.spendsOnce && !request.body.isEmpty()) {
        qreq.setHeader(QNetworkRequest::ContentLengthHeader, request.body.size());
        qreq.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        auto *body = new OneShotBody(request.body, nullptr);
        reply = m_nam->sendCustomRequest(qreq, request.method, body);
        body->setParent(reply);
    } else {
        reply = m_nam->sendCustomRequest(qreq, request.method, request.body);
    }
    qCDebug(lcHttp) << request.method << request.url.toDisplayString(QUrl::RemoveQuery);

    auto exchange = std::make_shared<Exchange>();
    const qint64 maxBody = m_options.maxBodyBytes;
    const bool cutOverLimit = m_options.cutOverLimit;
    const QUrl url = request.url;
    exchange->waitedMs = m_options.timeoutMs;

    auto *deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, reply, [reply, exchange] {
        exchange->timedOut = true;
        reply->abort();
    });
    deadline->start(m_options.timeoutMs);
    const int spentAnswerTimeoutMs = request.spendsOnce ? m_options.spentAnswerTimeoutMs : 0;
    connect(reply, &QNetworkReply::requestSent, reply, [exchange, deadline, spentAnswerTimeoutMs] {
        exchange->sent = true;
        if (spentAnswerTimeoutMs > 0 && !exchange->timedOut) {
            exchange->waitedMs = spentAnswerTimeoutMs;
            deadline->start(spentAnswerTimeoutMs);
        }
    });

    connect(reply, &QNetworkReply::metaDataChanged, reply,
            [reply, exchange, maxBody, cutOverLimit] {
                const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
                if (!cutOverLimit && length.isValid() && length.toLongLong() > maxBody) {
                    exchange->tooLarge = true;
                    reply->abort();
                }
            });
    connect(reply, &QNetworkReply::readyRead, reply, [reply, exchange, maxBody, cutOverLimit] {
        exchange->body += reply->readAll();
        if (exchange->body.size() > maxBody) {
            if (cutOverLimit) {
                exchange->cut = true;
                exchange->body.truncate(maxBody);
            } else {
                exchange->tooLarge = true;
                exchange->body.clear();
            }
            reply->abort();
        }
    });

    // The reply is ours whatever happens to the caller; a caller that goes
    // away cancels the request.
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
    connect(context, &QObject::destroyed, reply, &QNetworkReply::abort);
    connect(reply, &QNetworkReply::finished, context,
            [reply, exchange, url, maxBody, done = std::move(done)] {
                if (exchange->done) {
                    return;
                }
                exchange->done = true;
                if (exchange->tooLarge) {
                    done(Error(Error::Kind::MalformedResponse,
                               QStringLiteral("The answer from %1 is larger than %2 KiB; this is "
                                              "not a token response. Check the URL.")
                                   .arg(hostAndPort(url))
                                   .arg(maxBody / 1024)));
                    return;
                }
                if (exchange->timedOut) {
                    done(Error(Error::Kind::Network,
                               QStringLiteral("%1 did not answer within %2 s.")
                                   .arg(hostAndPort(url))
                                   .arg(exchange->waitedMs / 1000.0, 0, 'g', 3))
                             .setAnswerLost(exchange->sent));
                    return;
                }
                const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
                // A transport error after the headers (a dropped body) is still a network error.
                const bool transportError = reply->error() != QNetworkReply::NoError
                    && reply->error() < QNetworkReply::ContentAccessDenied;
                if (!status.isValid() || (transportError && !exchange->cut)) {
                    done(networkError(reply->error(), url, reply->errorString())
                             .setAnswerLost(exchange->sent));
                    return;
                }
                if (!exchange->cut) {
                    exchange->body += reply->readAll();
                }
                if (exchange->body.size() > maxBody) {
                    done(Error(Error::Kind::MalformedResponse,
                               QStringLiteral("The answer from %1 is larger than %2 KiB.")
                                   .arg(hostAndPort(url))
                                   .arg(maxBody / 1024)));
                    return;
                }
                HttpResponse response;
                response.status = status.toInt();
                response.body = std::move(exchange->body);
                response.bodyCut = exchange->cut;
                for (const auto &pair : reply->rawHeaderPairs()) {
                    response.headers.append({pair.first, pair.second});
                }
                qCDebug(lcHttp) << "HTTP" << response.status << url.path();
                done(std::move(response));
            });
}

} // namespace tokenkeeper
