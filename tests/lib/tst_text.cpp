// The small text helpers every message goes through.
#include "core/text.h"

#include <QTest>

using namespace tokenkeeper;

class TestText final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostAndPort_data()
    {
        QTest::addColumn<QUrl>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("port set") << QUrl(QStringLiteral("http://127.0.0.1:8080/auth"))
                                  << QStringLiteral("127.0.0.1:8080");
        QTest::newRow("no port") << QUrl(QStringLiteral("https://sensu.example.com/api"))
                                 << QStringLiteral("sensu.example.com");
        QTest::newRow("scheme's default port written out")
            << QUrl(QStringLiteral("https://example.com:443")) << QStringLiteral("example.com:443");
        QTest::newRow("user info left out")
            << QUrl(QStringLiteral("http://me:pw@host:9/x")) << QStringLiteral("host:9");
        QTest::newRow("IPv6, as today: no brackets")
            << QUrl(QStringLiteral("http://[::1]:8080/")) << QStringLiteral("::1:8080");
        QTest::newRow("empty") << QUrl() << QString();
    }

    void hostAndPort()
    {
        QFETCH(QUrl, url);
        QFETCH(QString, expected);
        QCOMPARE(tokenkeeper::hostAndPort(url), expected);
    }

    void quoted_dropsOneFinalFullStop()
    {
        QCOMPARE(tokenkeeper::quoted(QStringLiteral("Host closed the connection.")),
                 QStringLiteral("Host closed the connection"));
        QCOMPARE(tokenkeeper::quoted(QStringLiteral("invalid_grant (HTTP 400)")),
                 QStringLiteral("invalid_grant (HTTP 400)"));
        QCOMPARE(tokenkeeper::quoted(QStringLiteral("Wait...")), QStringLiteral("Wait..."));
    }

    void redacted_shortSecretsAreLeftAlone()
    {
        QCOMPARE(redacted(QStringLiteral("key abcd and abc"),
                          {QStringLiteral("abcd"), QStringLiteral("abc")}),
                 QStringLiteral("key [redacted] and abc"));
    }

    void printable_controlCharactersFolded()
    {
        QCOMPARE(printable(QStringLiteral("a\x1b[31m\tb\n\nc  ")), QStringLiteral("a [31m b c"));
    }
};

QTEST_GUILESS_MAIN(TestText)
#include "tst_text.moc"
