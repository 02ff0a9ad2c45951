#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QObject>
#include <QUrl>

#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace tokenkeeper {

struct HttpRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // The request spends something the server takes only once (a rotating
    // refresh token): once it is sent in full, its answer is waited for
    // Options::spentAnswerTimeoutMs instead of the ordinary deadline, since
    // giving up on it may lose what the server handed out in exchange.
    bool spendsOnce = false;
};

struct HttpResponse
{
    int status = 0;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool bodyCut = false; // only the first maxBodyBytes arrived (Options::cutOverLimit)

    // The first header of that name (case-insensitive), or empty.
    QByteArray header(const QByteArray &name) const;
    // "application/json" from "application/json; charset=utf-8", lower-cased.
    QByteArray mimeType() const;
    // The server's Date header, when it sent a valid one.
    std::optional<QDateTime> serverDate() const;
    // Retry-After in seconds (delta or HTTP date relative to Date), or -1.
    int retryAfterSeconds() const;
};

// Sends one request over QNetworkAccessManager and hands back either the
// server's answer (any status) or an Error when there was no usable answer:
// refused, dropped, timed out, TLS failure, body over the size limit.
// A failure after the request was sent in full (QNetworkReply::requestSent)
// is marked Error::answerLost(): the server may have acted on it.
// Redirects are not followed: a token request must not carry credentials to
// another place than the one configured.
class HttpClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpClient)

public:
    struct Options
    {
        int timeoutMs = 15'000;
        qint64 maxBodyBytes = 1024 * 1024;
        // A body over maxBodyBytes: keep its start and mark it cut, instead
        // of failing (the request tester shows answers of any size).
        bool cutOverLimit = false;
        // From the moment a spendsOnce request is sent in full; 0: timeoutMs.
        int spentAnswerTimeoutMs = 0;
    };

    using Callback = std::function<void(Result<HttpResponse>)>;

    explicit HttpClient(QNetworkAccessManager *nam, Options options, QObject *parent = nullptr);
    ~HttpClient() override = default;

    const Options &options() const { return m_options; }

    // Calls `done` exactly once, on the thread of `context`, unless `context`
    // is destroyed first.
    void send(const HttpRequest &request, QObject *context, Callback done);

private:
    QNetworkAccessManager *m_nam;
    Options m_options;
};

} // namespace tokenkeeper
