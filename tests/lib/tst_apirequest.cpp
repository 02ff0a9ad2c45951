// ApiRequest and its checks: where a typed target goes, whether that is the
// profile's server, which headers and methods may be sent, the JSON kept in
// the history.
#include "request/apirequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace tokenkeeper;

class TestApiRequest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resolveTarget_table_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("expected"); // empty: refused

        const QString local = QStringLiteral("http://127.0.0.1:8080");
        QTest::newRow("relative, leading slash")
            << local << QStringLiteral("/api/x") << QStringLiteral("http://127.0.0.1:8080/api/x");
        QTest::newRow("relative, no leading slash")
            << local << QStringLiteral("api/x") << QStringLiteral("http://127.0.0.1:8080/api/x");
        QTest::newRow("surrounding blanks") << local << QStringLiteral("  /api/x \t")
                                            << QStringLiteral("http://127.0.0.1:8080/api/x");
        QTest::newRow("base path kept")
            << QStringLiteral("https://h.example/squirro") << QStringLiteral("/api/x")
            << QStringLiteral("https://h.example/squirro/api/x");
        QTest::newRow("base path with trailing slash")
            << QStringLiteral("https://h.example/squirro/") << QStringLiteral("api/x")
            << QStringLiteral("https://h.example/squirro/api/x");
        QTest::newRow("query kept") << local << QStringLiteral("/api/x?y=1&z=a%20b")
                                    << QStringLiteral("http://127.0.0.1:8080/api/x?y=1&z=a%20b");
        QTest::newRow("base query dropped")
            << QStringLiteral("https://h.example/base?tenant=1") << QStringLiteral("/x")
            << QStringLiteral("https://h.example/base/x");
        QTest::newRow("a URL in the query is still relative")
            << local << QStringLiteral("/login?next=https://elsewhere.example/")
            << QStringLiteral("http://127.0.0.1:8080/login?next=https://elsewhere.example/");
        QTest::newRow("protocol-relative stays on the server")
            << QStringLiteral("https://h.example") << QStringLiteral("//evil.example/x")
            << QStringLiteral("https://h.example//evil.example/x");
        QTest::newRow("absolute http") << local << QStringLiteral("http://other.example:9000/p?q=1")
                                       << QStringLiteral("http://other.example:9000/p?q=1");
        QTest::newRow("absolute https") << local << QStringLiteral("https://api.example/v2/items")
                                        << QStringLiteral("https://api.example/v2/items");
        QTest::newRow("absolute, upper-case scheme")
            << local << QStringLiteral("HTTPS://api.example/v2")
            << QStringLiteral("https://api.example/v2");
        QTest::newRow("ftp refused")
            << local << QStringLiteral("ftp://files.example/x") << QString();
        QTest::newRow("file refused") << local << QStringLiteral("file:///etc/passwd") << QString();
        QTest::newRow("empty refused") << local << QString() << QString();
        QTest::newRow("blank refused") << local << QStringLiteral("   ") << QString();
        QTest::newRow("no host refused") << local << QStringLiteral("http:///x") << QString();
        QTest::newRow("scheme only refused") << local << QStringLiteral("https://") << QString();
        QTest::newRow("space in host refused")
            << local << QStringLiteral("http://exa mple.com/x") << QString();
        QTest::newRow("broken IPv6 refused")
            << local << QStringLiteral("http://[::1/x") << QString();
    }

    void resolveTarget_table()
    {
        QFETCH(QString, server);
        QFETCH(QString, target);
        QFETCH(QString, expected);
        const Result<QUrl> url = resolveTarget(QUrl(server), target);
        if (expected.isEmpty()) {
            QVERIFY2(!url, url ? qPrintable(url->toString()) : "");
            QCOMPARE(url.error().kind(), Error::Kind::Usage);
            QVERIFY(!url.error().message().isEmpty());
            return;
        }
        QVERIFY2(url, url ? "" : qPrintable(url.error().message()));
        QCOMPARE(url->toString(QUrl::FullyEncoded), QUrl(expected).toString(QUrl::FullyEncoded));
        QVERIFY(url->isValid());
    }

    void sameServer_table_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("same");

        QTest::newRow("same") << QStringLiteral("https://h.example/base")
                              << QStringLiteral("https://h.example/other/path?q=1") << true;
        QTest::newRow("http default port explicit")
            << QStringLiteral("http://h.example") << QStringLiteral("http://h.example:80/x")
            << true;
        QTest::newRow("https default port explicit")
            << QStringLiteral("https://h.example:443") << QStringLiteral("https://h.example/x")
            << true;
        QTest::newRow("host case")
            << QStringLiteral("https://H.Example") << QStringLiteral("https://h.example/x") << true;
        QTest::newRow("explicit same port") << QStringLiteral("http://127.0.0.1:8080")
                                            << QStringLiteral("http://127.0.0.1:8080/x") << true;
        QTest::newRow("scheme differs")
            << QStringLiteral("https://h.example") << QStringLiteral("http://h.example/x") << false;
        QTest::newRow("http on 443 is not https")
            << QStringLiteral("https://h.example") << QStringLiteral("http://h.example:443/x")
            << false;
        QTest::newRow("port differs") << QStringLiteral("http://127.0.0.1:8080")
                                      << QStringLiteral("http://127.0.0.1:8081/x") << false;
        QTest::newRow("explicit port vs default")
            << QStringLiteral("https://h.example") << QStringLiteral("https://h.example:8443/x")
            << false;
        QTest::newRow("host differs") << QStringLiteral("http://127.0.0.1:8080")
                                      << QStringLiteral("http://localhost:8080/x") << false;
        QTest::newRow("subdomain differs") << QStringLiteral("https://h.example")
                                           << QStringLiteral("https://api.h.example/x") << false;
        QTest::newRow("userinfo trick")
            << QStringLiteral("https://h.example")
            << QStringLiteral("https://h.example@evil.example/x") << false;
    }

    void sameServer_table()
    {
        QFETCH(QString, server);
        QFETCH(QString, url);
        QFETCH(bool, same);
        QCOMPARE(sameServer(QUrl(server), QUrl(url)), same);
    }

    void sameServer_ofEveryResolvedRelativeTarget_isTrue()
    {
        const QUrl server(QStringLiteral("https://h.example:8443/base"));
        for (const QString &target :
             {QStringLiteral("/a"), QStringLiteral("b?c=d"), QStringLiteral("//evil.example/x"),
              QStringLiteral("/login?next=https://evil.example/"),
              QStringLiteral("@evil.example")}) {
            const Result<QUrl> url = resolveTarget(server, target);
            QVERIFY2(url, qPrintable(target));
            QVERIFY2(sameServer(server, *url), qPrintable(target + u' ' + url->toString()));
        }
    }

    void checkHeader_table_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("refusal"); // a word of the reason; empty: accepted

        QTest::newRow("custom") << QStringLiteral("X-Custom") << QStringLiteral("v") << QString();
        QTest::newRow("accept") << QStringLiteral("Accept") << QStringLiteral("application/json")
                                << QString();
        QTest::newRow("content-type") << QStringLiteral("Content-Type")
                                      << QStringLiteral("text/plain; charset=utf-8") << QString();
        QTest::newRow("empty value") << QStringLiteral("X-Empty") << QString() << QString();
        QTest::newRow("non-ASCII value")
            << QStringLiteral("X-Name") << QStringLiteral("Grüße") << QString();
        QTest::newRow("token punctuation")
            << QStringLiteral("X-A!#$%&'*+.^_`|~") << QStringLiteral("v") << QString();
        QTest::newRow("Authorization") << QStringLiteral("Authorization")
                                       << QStringLiteral("Bearer x") << QStringLiteral("profile");
        QTest::newRow("authorization") << QStringLiteral("authorization")
                                       << QStringLiteral("Bearer x") << QStringLiteral("profile");
        QTest::newRow("AUTHORIZATION")
            << QStringLiteral("AUTHORIZATION") << QStringLiteral("x") << QStringLiteral("profile");
        QTest::newRow("aUtHoRiZaTiOn")
            << QStringLiteral("aUtHoRiZaTiOn") << QString() << QStringLiteral("profile");
        QTest::newRow("Host") << QStringLiteral("Host") << QStringLiteral("evil.example")
                              << QStringLiteral("leave it out");
        QTest::newRow("host") << QStringLiteral("host") << QStringLiteral("evil.example")
                              << QStringLiteral("leave it out");
        QTest::newRow("Content-Length") << QStringLiteral("Content-Length") << QStringLiteral("5")
                                        << QStringLiteral("leave it out");
        QTest::newRow("content-length") << QStringLiteral("content-length") << QStringLiteral("5")
                                        << QStringLiteral("leave it out");
        QTest::newRow("Transfer-Encoding")
            << QStringLiteral("Transfer-Encoding") << QStringLiteral("chunked")
            << QStringLiteral("leave it out");
        QTest::newRow("CR in value")
            << QStringLiteral("X-A") << QStringLiteral("a\rb") << QStringLiteral("one line");
        QTest::newRow("LF in value")
            << QStringLiteral("X-A") << QStringLiteral("a\nAuthorization: Bearer x")
            << QStringLiteral("one line");
        QTest::newRow("CRLF at the end")
            << QStringLiteral("X-A") << QStringLiteral("a\r\n") << QStringLiteral("one line");
        QTest::newRow("empty name")
            << QString() << QStringLiteral("v") << QStringLiteral("not a header name");
        QTest::newRow("space in name")
            << QStringLiteral("X A") << QStringLiteral("v") << QStringLiteral("not a header name");
        QTest::newRow("colon in name")
            << QStringLiteral("X:A") << QStringLiteral("v") << QStringLiteral("not a header name");
        QTest::newRow("tab in name")
            << QStringLiteral("X\tA") << QStringLiteral("v") << QStringLiteral("not a header name");
        QTest::newRow("newline in name")
            << QStringLiteral("X\nA") << QStringLiteral("v") << QStringLiteral("not a header name");
        QTest::newRow("parentheses")
            << QStringLiteral("(x)") << QStringLiteral("v") << QStringLiteral("not a header name");
        QTest::newRow("non-ASCII name") << QStringLiteral("X-Grüße") << QStringLiteral("v")
                                        << QStringLiteral("not a header name");
    }

    void checkHeader_table()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, refusal);
        const QString why = checkHeader(name, value);
        if (refusal.isEmpty()) {
            QVERIFY2(why.isEmpty(), qPrintable(why));
        } else {
            QVERIFY2(why.contains(refusal), qPrintable(why));
        }
    }

    void checkMethod_table_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<bool>("accepted");
        for (const char *method : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
                                   "PROPFIND", "M-SEARCH", "get"}) {
            QTest::newRow(method) << QByteArray(method) << true;
        }
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("space") << QByteArrayLiteral("GE T") << false;
        QTest::newRow("CRLF") << QByteArrayLiteral("GET\r\n") << false;
        QTest::newRow("slash") << QByteArrayLiteral("GET/") << false;
        QTest::newRow("Latin-1 letter") << QByteArrayLiteral("G\xc9T") << false;
        QTest::newRow("NUL") << QByteArray("GE\0T", 4) << false;
    }

    void checkMethod_table()
    {
        QFETCH(QByteArray, method);
        QFETCH(bool, accepted);
        const QString why = checkMethod(method);
        QCOMPARE(why.isEmpty(), accepted);
    }

    void parseHeaderLine_table_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<bool>("parsed");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");

        QTest::newRow("plain") << QStringLiteral("X-A: b") << true << QStringLiteral("X-A")
                               << QStringLiteral("b");
        QTest::newRow("no space") << QStringLiteral("X-A:b") << true << QStringLiteral("X-A")
                                  << QStringLiteral("b");
        QTest::newRow("split at the first colon")
            << QStringLiteral("X-Url: http://h:80/x") << true << QStringLiteral("X-Url")
            << QStringLiteral("http://h:80/x");
        QTest::newRow("blanks trimmed") << QStringLiteral("  X-A  :   v w  ") << true
                                        << QStringLiteral("X-A") << QStringLiteral("v w");
        QTest::newRow("empty value")
            << QStringLiteral("X-A:") << true << QStringLiteral("X-A") << QString();
        QTest::newRow("no colon") << QStringLiteral("X-A") << true << QStringLiteral("X-A")
                                  << QString();
        QTest::newRow("no name") << QStringLiteral(": v") << false << QString() << QString();
        QTest::newRow("empty") << QString() << false << QString() << QString();
        QTest::newRow("blank") << QStringLiteral("   ") << false << QString() << QString();
    }

    void parseHeaderLine_table()
    {
        QFETCH(QString, line);
        QFETCH(bool, parsed);
        QFETCH(QString, name);
        QFETCH(QString, value);
        const auto header = parseHeaderLine(line);
        QCOMPARE(header.has_value(), parsed);
        if (header) {
            QCOMPARE(header->first, name);
            QCOMPARE(header->second, value);
        }
    }

    void json_roundTrip_keepsEveryField_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<int>("headerCount");

        QTest::newRow("bare GET") << QByteArrayLiteral("GET") << QStringLiteral("/api/x")
                                  << QByteArray() << QString() << 0;
        QTest::newRow("POST with everything")
            << QByteArrayLiteral("POST") << QStringLiteral("https://api.example/v1/x?q=it's&r=2")
            << QByteArray("{\"a\": \"it's \\\"quoted\\\"\",\n \"b\": \"Gr\xc3\xbc\xc3\x9f"
                          "e \xf0\x9f\x98\x80\"}\n")
            << QStringLiteral("application/json") << 3;
        QTest::newRow("custom method, form body")
            << QByteArrayLiteral("PROPFIND") << QStringLiteral("dav/x")
            << QByteArrayLiteral("a=1&b=$HOME")
            << QStringLiteral("application/x-www-form-urlencoded") << 1;
    }

    void json_roundTrip_keepsEveryField()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, target);
        QFETCH(QByteArray, body);
        QFETCH(QString, contentType);
        QFETCH(int, headerCount);

        ApiRequest request;
        request.method = method;
        request.target = target;
        request.body = body;
        request.contentType = contentType;
        const QList<std::pair<QString, QString>> headers {
            {QStringLiteral("X-Quote"), QStringLiteral("it's \"quoted\"")},
            {QStringLiteral("Accept"), QStringLiteral("application/json")},
            {QStringLiteral("X-Repeated"), QStringLiteral("Grüße, $(id) `x`")},
        };
        request.headers = headers.mid(0, headerCount);

        // Through text, as the history file holds it.
        const QByteArray text = QJsonDocument(request.toJson()).toJson();
        const auto back = ApiRequest::fromJson(QJsonDocument::fromJson(text).object());
        QVERIFY(back.has_value());
        QCOMPARE(back->method, request.method);
        QCOMPARE(back->target, request.target);
        QCOMPARE(back->headers, request.headers);
        QCOMPARE(back->body, request.body);
        QCOMPARE(back->contentType, request.contentType);
        QVERIFY(*back == request);
    }

    void fromJson_invalid_isRefused_data()
    {
        QTest::addColumn<QJsonObject>("json");
        const QJsonObject good {{QStringLiteral("method"), QStringLiteral("GET")},
                                {QStringLiteral("target"), QStringLiteral("/x")},
                                {QStringLiteral("headers"), QJsonArray()}};
        QJsonObject noTarget = good;
        noTarget.remove(QStringLiteral("target"));
        QJsonObject badMethod = good;
        badMethod.insert(QStringLiteral("method"), QStringLiteral("GE T"));
        QJsonObject noMethod = good;
        noMethod.remove(QStringLiteral("method"));
        QJsonObject shortHeader = good;
        shortHeader.insert(QStringLiteral("headers"),
                           QJsonArray {QJsonArray {QStringLiteral("X-A")}});
        QJsonObject numberHeader = good;
        numberHeader.insert(QStringLiteral("headers"),
                            QJsonArray {QJsonArray {QStringLiteral("X-A"), 5}});
        QTest::newRow("no target") << noTarget;
        QTest::newRow("bad method") << badMethod;
        QTest::newRow("no method") << noMethod;
        QTest::newRow("header without value") << shortHeader;
        QTest::newRow("header value a number") << numberHeader;
        QTest::newRow("empty") << QJsonObject();
    }

    void fromJson_invalid_isRefused()
    {
        QFETCH(QJsonObject, json);
        QVERIFY(!ApiRequest::fromJson(json).has_value());
    }

    void toJson_neverHoldsAnAuthorizationField()
    {
        ApiRequest request;
        request.target = QStringLiteral("/x");
        const QJsonObject json = request.toJson();
        QCOMPARE(json.keys(),
                 (QStringList {QStringLiteral("headers"), QStringLiteral("method"),
                               QStringLiteral("target")}));
    }
};

QTEST_GUILESS_MAIN(TestApiRequest)
#include "tst_apirequest.moc"
