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

// Answers every connection with `head`, then drips `drip` every 100 ms.
class RawServer final : public QTcpServer
{
public:
    RawServer(QByteArray head, QByteArray drip = {})
        : m_head(std::move(head))
        , m_drip(std::move(drip))
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    socket->readAll();
                    socket->write(m_head);
                    if (!m_drip.isEmpty()) {
                        auto *timer = new QTimer(socket);
                        connect(timer, &QTimer::timeout, socket,
                                [this, socket] { socket->write(m_drip); });
                        timer->start(100);
                    }
                });
            }
        });
        listen(QHostAddress::LocalHost);
    }

    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/token").arg(serverPort())); }

private:
    QByteArray m_head;
    QByteArray m_drip;
};

Result<HttpResponse> fetch(const QUrl &url, HttpClient::Options options, QObject *context)
{
    QNetworkAccessManager nam;
    HttpClient client(&nam, options);
    std::optional<Result<HttpResponse>> answer;
    HttpRequest request;
    request.url = url;
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
