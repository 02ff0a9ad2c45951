// "Copy as curl": the words are proven by a real /bin/sh, with `curl` and
// `tokenkeeper` replaced by shell functions that print what they receive, so
// every argument must arrive exactly as meant, whatever it holds.
#include "request/apirequest.h"
#include "request/curlcommand.h"

#include <QProcess>
#include <QTest>

using namespace tokenkeeper;

namespace {

// What the fake `tokenkeeper header NAME` prints; never a real token.
QString fetchedHeader(const QString &name)
{
    return QStringLiteral("Authorization: Bearer fetched-for<") + name + u'>';
}

// Runs `script` through /bin/sh after defining curl() (prints every argument,
// each ended by NUL) and tokenkeeper() (prints fetchedHeader(NAME) for
// `tokenkeeper header NAME`). Returns the arguments curl received.
std::optional<QStringList> wordsThroughShell(const QString &script)
{
    const QString prelude =
        QStringLiteral("curl() { for a; do printf '%s\\0' \"$a\"; done; }\n"
                       "tokenkeeper() { [ \"$1\" = header ] && [ $# -eq 2 ] || exit 99; "
                       "printf 'Authorization: Bearer fetched-for<%s>\\n' \"$2\"; }\n");
    QProcess sh;
    sh.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), prelude + script});
    if (!sh.waitForFinished(10'000) || sh.exitStatus() != QProcess::NormalExit
        || sh.exitCode() != 0) {
        qWarning("sh failed: %s", sh.readAllStandardError().constData());
        return std::nullopt;
    }
    QList<QByteArray> parts = sh.readAllStandardOutput().split('\0');
    if (parts.isEmpty() || !parts.last().isEmpty()) {
        return std::nullopt; // every word ends with NUL
    }
    parts.removeLast();
    QStringList words;
    for (const QByteArray &part : std::as_const(parts)) {
        words.append(QString::fromUtf8(part));
    }
    return words;
}

} // namespace

class TestCurlCommand final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shellQuote_throughSh_isTheSameWord_data()
    {
        QTest::addColumn<QString>("word");
        for (const QString &word : {
                 QStringLiteral("plain"),
                 QStringLiteral("https://h.example/a/b?c=d&e=f"),
                 QString(),
                 QStringLiteral("two words"),
                 QStringLiteral("it's"),
                 QStringLiteral("''"),
                 QStringLiteral("\"double\""),
                 QStringLiteral("$HOME"),
                 QStringLiteral("${HOME}"),
                 QStringLiteral("$(id)"),
                 QStringLiteral("`id`"),
                 QStringLiteral("back\\slash\\"),
                 QStringLiteral("line one\nline two\n"),
                 QStringLiteral("tab\there"),
                 QStringLiteral("~"),
                 QStringLiteral("*"),
                 QStringLiteral("a;b|c&d>e<f"),
                 QStringLiteral("#comment"),
                 QStringLiteral("!bang"),
                 QStringLiteral("-n"),
                 QStringLiteral("%s%n"),
                 QStringLiteral("Grüße 😀 Привет"),
                 QStringLiteral("'; rm -rf ~; echo '"),
             }) {
            QTest::newRow(qPrintable(QString(word).replace(u'\n', u'_'))) << word;
        }
    }

    void shellQuote_throughSh_isTheSameWord()
    {
        QFETCH(QString, word);
        const auto words = wordsThroughShell(QStringLiteral("curl ") + shellQuote(word));
        QVERIFY(words.has_value());
        QCOMPARE(*words, QStringList {word});
    }

    void shellQuote_plainWords_stayBare()
    {
        QCOMPARE(shellQuote(QStringLiteral("GET")), QStringLiteral("GET"));
        QCOMPARE(shellQuote(QStringLiteral("http://h:1/x")), QStringLiteral("http://h:1/x"));
        QCOMPARE(shellQuote(QString()), QStringLiteral("''"));
        QCOMPARE(shellQuote(QStringLiteral("a b")), QStringLiteral("'a b'"));
    }

    void curlCommand_trickyRequests_argumentsArriveExactly_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<bool>("withHeaders");
        QTest::addColumn<QString>("url");

        QTest::newRow("plain GET")
            << QStringLiteral("demo") << QByteArrayLiteral("GET") << QByteArray() << QString()
            << false << QStringLiteral("http://127.0.0.1:8080/api/x");
        QTest::newRow("quote in the profile name, DELETE")
            << QStringLiteral("Bob's API") << QByteArrayLiteral("DELETE") << QByteArray()
            << QString() << true << QStringLiteral("https://h.example/items/1?force=1&why=it's");
        QTest::newRow("command substitution in the profile name")
            << QStringLiteral("$(touch pwned) `id` \"x\"") << QByteArrayLiteral("GET")
            << QByteArray() << QString() << true << QStringLiteral("https://h.example/x");
        QTest::newRow("JSON body with quotes, newlines and non-ASCII")
            << QStringLiteral("prod") << QByteArrayLiteral("POST")
            << QByteArray("{\n  \"a\": \"it's \\\"quoted\\\" $HOME `id` $(id)\",\n"
                          "  \"b\": \"Gr\xc3\xbc\xc3\x9f"
                          "e \xf0\x9f\x98\x80\"\n}\n")
            << QStringLiteral("application/json") << true
            << QStringLiteral("https://h.example/base/api?x=1");
        QTest::newRow("form body, PATCH") << QStringLiteral("prod") << QByteArrayLiteral("PATCH")
                                          << QByteArrayLiteral("a=1&b=two words&c='")
                                          << QStringLiteral("application/x-www-form-urlencoded")
                                          << false << QStringLiteral("https://h.example/x");
        QTest::newRow("body that starts with @")
            << QStringLiteral("prod") << QByteArrayLiteral("POST")
            << QByteArrayLiteral("@/etc/passwd") << QStringLiteral("text/plain") << false
            << QStringLiteral("https://h.example/x");
        QTest::newRow("GET with a body")
            << QStringLiteral("prod") << QByteArrayLiteral("GET") << QByteArrayLiteral("q")
            << QString() << false << QStringLiteral("https://h.example/x");
    }

    void curlCommand_trickyRequests_argumentsArriveExactly()
    {
        QFETCH(QString, profile);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, body);
        QFETCH(QString, contentType);
        QFETCH(bool, withHeaders);
        QFETCH(QString, url);

        ApiRequest request;
        request.method = method;
        request.target = url;
        request.body = body;
        request.contentType = contentType;
        if (withHeaders) {
            request.headers = {
                {QStringLiteral("X-Quote"), QStringLiteral("it's \"quoted\" \\ $HOME `id`")},
                {QStringLiteral("Accept-Language"), QStringLiteral("de, Grüße")},
            };
        }
        const QString command = curlCommand(profile, request, QUrl(url));
        QVERIFY(!command.contains(u'\0'));
        const auto words = wordsThroughShell(command);
        QVERIFY(words.has_value());

        // What curl must receive.
        QStringList expected;
        if (method != "GET" || !body.isEmpty()) {
            expected << QStringLiteral("-X") << QString::fromLatin1(method);
        }
        expected << QStringLiteral("-H") << fetchedHeader(profile);
        for (const auto &[name, value] : std::as_const(request.headers)) {
            expected << QStringLiteral("-H") << name + QStringLiteral(": ") + value;
        }
        if (!body.isEmpty() && !contentType.isEmpty()) {
            expected << QStringLiteral("-H") << QStringLiteral("Content-Type: ") + contentType;
        }
        if (!body.isEmpty()) {
            // --data-binary reads a file when the data starts with @; --data-raw never does.
            expected << (body.startsWith('@') ? QStringLiteral("--data-raw")
                                              : QStringLiteral("--data-binary"))
                     << QString::fromUtf8(body);
        }
        expected << QUrl(url).toString(QUrl::FullyEncoded);
        QCOMPARE(*words, expected);
    }

    void curlCommand_typedContentType_isNotDoubled()
    {
        ApiRequest request;
        request.method = "POST";
        request.body = "{}";
        request.contentType = QStringLiteral("application/json");
        request.headers = {
            {QStringLiteral("content-type"), QStringLiteral("application/vnd.x+json")}};
        const auto words = wordsThroughShell(
            curlCommand(QStringLiteral("p"), request, QUrl(QStringLiteral("https://h/x"))));
        QVERIFY(words.has_value());
        QCOMPARE(words->filter(QStringLiteral("ontent-type"), Qt::CaseInsensitive),
                 QStringList {QStringLiteral("content-type: application/vnd.x+json")});
    }

    void curlCommand_default_fetchesTheHeaderAndHoldsNoToken()
    {
        ApiRequest request;
        const QString name = QStringLiteral("Bob's API");
        const QString command =
            curlCommand(name, request, QUrl(QStringLiteral("https://h.example/x")));
        QVERIFY2(command.contains(QStringLiteral("\"$(tokenkeeper header 'Bob'\\''s API')\"")),
                 qPrintable(command));
        QVERIFY(!command.contains(QStringLiteral("Bearer")));
        QVERIFY(!command.contains(QStringLiteral("Authorization")));
    }

    void curlCommand_literalToken_holdsTheHeader()
    {
        ApiRequest request;
        request.method = "POST";
        request.body = "x=1";
        const QString token = QStringLiteral("eyJ.test-token_value.sig");
        const QString command = curlCommand(QStringLiteral("demo"), request,
                                            QUrl(QStringLiteral("https://h.example/x")), token);
        QVERIFY(!command.contains(QStringLiteral("tokenkeeper header")));
        const auto words = wordsThroughShell(command);
        QVERIFY(words.has_value());
        const qsizetype at = words->indexOf(QStringLiteral("Authorization: Bearer ") + token);
        QVERIFY(at > 0);
        QCOMPARE(words->at(at - 1), QStringLiteral("-H"));
        QCOMPARE(int(words->count(QStringLiteral("-H"))), 1);
    }
};

QTEST_GUILESS_MAIN(TestCurlCommand)
#include "tst_curlcommand.moc"
