// HttpClient against raw sockets that misbehave in ways no emulator route
// does: a body dripped slowly forever, a huge announced length, a redirect.
#include "net/httpclient.h"

#include <QNetworkAccessManager>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace tokenkeeper;

namespace {

// Answers every connection with `head` (`delayMs` after the request came;
// an empty head: closes the connection instead), then drips `drip` every
// 100 ms.
class RawServer final : public QTcpServer
{
public:
    RawServer(QByteArray head, QByteArray drip = {}, int delayMs = 0)
        : m_head(std::move(head))
        , m_drip(std::move(drip))
        , m_delayMs(delayMs)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    const QByteArray data = socket->readAll();
                    if (data.contains(" HTTP/1.1\r\n")) {
                        ++requests;
                    }
                    lastBody = data.mid(data.indexOf("\r\n\r\n") + 4);
                    QTimer::singleShot(m_delayMs, socket, [this, socket] { answer(socket); });
                });
            }
        });
        listen(QHostAddress::LocalHost);
    }

    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/token").arg(serverPort())); }

    int requests = 0; // request heads that arrived
    QByteArray lastBody; // of the last request, when it came in one piece

private:
    void answer(QTcpSocket *socket)
    {
        if (m_head.isEmpty()) {
            socket->abort();
            return;
        }
        socket->write(m_head);
        if (!m_drip.isEmpty()) {
            auto *timer = new QTimer(socket);
            connect(timer, &QTimer::timeout, socket, [this, socket] { socket->write(m_drip); });
            timer->start(100);
        }
    }

    QByteArray m_head;
    QByteArray m_drip;
    int m_delayMs;
};

// A GET, or with `spendsOnce` a POST with a refresh token in its body.
Result<HttpResponse> fetch(const QUrl &url, HttpClient::Options options, QObject *context,
                           bool spendsOnce = false)
{
    QNetworkAccessManager nam;
    HttpClient client(&nam, options);
    std::optional<Result<HttpResponse>> answer;
    HttpRequest request;
    request.url = url;
    request.spendsOnce = spendsOnce;
    if (spendsOnce) {
        request.method = QByteArrayLiteral("POST");
        request.body = QByteArrayLiteral("grant_type=refresh_token&refresh_token=rt-1");
    }
    client.send(request, context,
                [&answer](Result<HttpResponse> result) { answer.emplace(result); });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000)) {
        return Error(Error::Kind::Network, QStringLiteral("test: no answer at all"));
    }
    return *answer;
}

} // namespace

class TestHttpClient final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void drippingBody_isCutOffByTheDeadline()
    {
        RawServer server("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n",
                         "1\r\n \r\n");
        const auto result = fetch(server.url(), {1000, 1024 * 1024}, this);
        QVERIFY(!result);
        QCOMPARE(result.error().kind(), Error::Kind::Network);
        QVERIFY2(result.error().message().contains(QStringLiteral("did not answer within")),
                 qPrintable(result.error().message()));
    }

    // Whether the server may have acted on a request decides whether a
    // rotating refresh token may have been spent (TokenService).
    void answerLost_onlyWhenTheRequestWasSentInFull()
    {
        RawServer closes(QByteArray {});
        const auto dropped = fetch(closes.url(), {5000, 1024 * 1024}, this);
        QVERIFY(!dropped);
        QCOMPARE(dropped.error().kind(), Error::Kind::Network);
        QVERIFY(dropped.error().answerLost());

        RawServer silent("", {}, 60'000);
        silent.close(); // nothing listens on its port any more: refused
        const auto refused = fetch(silent.url(), {5000, 1024 * 1024}, this);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind(), Error::Kind::Network);
        QVERIFY(!refused.error().answerLost());
    }

    // Qt sends a request again on its own when the connection closes before
    // any answer: never one that spends a refresh token.
    void spendsOnce_connectionClosedWithoutAnswer_isNotSentAgain()
    {
        RawServer closes(QByteArray {});
        const auto dropped = fetch(closes.url(), {5000, 1024 * 1024}, this, /*spendsOnce=*/true);
        QVERIFY(!dropped);
        QVERIFY(dropped.error().answerLost());
        QVERIFY2(dropped.error().message().contains(QStringLiteral("closed the connection")),
                 qPrintable(dropped.error().message()));
        QCOMPARE(closes.requests, 1);

        // The body is whole when the server does answer.
        RawServer answers("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Content-Length: 2\r\n\r\n{}");
        const auto answered = fetch(answers.url(), {5000, 1024 * 1024}, this, true);
        QVERIFY2(answered, answered ? "" : qPrintable(answered.error().message()));
        QCOMPARE(answered->status, 200);
        QCOMPARE(answers.lastBody,
                 QByteArrayLiteral("grant_type=refresh_token&refresh_token=rt-1"));
    }

    void spendsOnce_onceSent_waitsTheLongerDeadline()
    {
        RawServer late("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       "Content-Length: 2\r\n\r\n{}",
                       {}, 1500);
        const HttpClient::Options options {.timeoutMs = 500, .spentAnswerTimeoutMs = 5000};
        const auto waited = fetch(late.url(), options, this, /*spendsOnce=*/true);
        QVERIFY2(waited, waited ? "" : qPrintable(waited.error().message()));
        QCOMPARE(waited->status, 200);

        const auto ordinary = fetch(late.url(), options, this);
        QVERIFY(!ordinary);
        QVERIFY(ordinary.error().message().contains(QStringLiteral("within 0.5 s")));
        QVERIFY(ordinary.error().answerLost()); // it was sent: the server may have acted
    }

    void announcedHugeBody_isRefusedBeforeReading()
    {
        RawServer server("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         "Content-Length: 10485760\r\n\r\n{\"a\":");
        const auto result = fetch(server.url(), {5000, 1024 * 1024}, this);
        QVERIFY(!result);
        QCOMPARE(result.error().kind(), Error::Kind::MalformedResponse);
        QVERIFY(result.error().message().contains(QStringLiteral("larger than 1024 KiB")));
    }

    void unannouncedHugeBody_isCutAtTheLimit()
    {
        RawServer server("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n",
                         "4000\r\n" + QByteArray(0x4000, 'x') + "\r\n");
        const auto result = fetch(server.url(), {20'000, 64 * 1024}, this);
        QVERIFY(!result);
        QCOMPARE(result.error().kind(), Error::Kind::MalformedResponse);
    }

    void cutOverLimit_bodyOverTheLimit_keepsItsStartAndSaysSo_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::newRow("announced length")
            << QByteArrayLiteral("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 "Content-Length: 10485760\r\n\r\n{\"a\":");
        QTest::newRow("chunked") << QByteArrayLiteral(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n");
    }

    void cutOverLimit_bodyOverTheLimit_keepsItsStartAndSaysSo()
    {
        QFETCH(QByteArray, head);
        const bool chunked = head.contains("chunked");
        const QByteArray piece(0x4000, 'x');
        RawServer server(head, chunked ? "4000\r\n" + piece + "\r\n" : piece);
        HttpClient::Options options {20'000, 64 * 1024};
        options.cutOverLimit = true;
        const auto result = fetch(server.url(), options, this);
        QVERIFY2(result, result ? "" : qPrintable(result.error().message()));
        QCOMPARE(result->status, 200);
        QVERIFY(result->bodyCut);
        QCOMPARE(result->body.size(), qsizetype(64 * 1024));
        QVERIFY(result->body.startsWith("{\"a\":xxxx"));
        QCOMPARE(result->mimeType(), QByteArrayLiteral("application/json"));
    }

    void cutOverLimit_bodyWithinTheLimit_isWholeAndNotCut()
    {
        const QByteArray body(64 * 1024, 'y'); // exactly the limit
        RawServer server("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                         + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        HttpClient::Options options {5000, 64 * 1024};
        options.cutOverLimit = true;
        const auto result = fetch(server.url(), options, this);
        QVERIFY2(result, result ? "" : qPrintable(result.error().message()));
        QVERIFY(!result->bodyCut);
        QVERIFY(result->body == body);
    }

    void redirect_isNotFollowed()
    {
        RawServer server("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\n"
                         "Content-Length: 0\r\n\r\n");
        const auto result = fetch(server.url(), {5000, 1024 * 1024}, this);
        QVERIFY(result);
        QCOMPARE(result->status, 302);
        QCOMPARE(result->header("location"), QByteArrayLiteral("http://127.0.0.1:1/elsewhere"));
    }

    void retryAfter_andDate_areRead()
    {
        RawServer server("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 12\r\n"
                         "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n");
        const auto result = fetch(server.url(), {5000, 1024 * 1024}, this);
        QVERIFY(result);
        QCOMPARE(result->status, 429);
        QCOMPARE(result->retryAfterSeconds(), 12);
        QVERIFY(result->serverDate().has_value());
        QCOMPARE(result->serverDate()->toSecsSinceEpoch(), 784111777);
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
