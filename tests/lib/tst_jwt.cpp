#include "auth/jwt.h"

#include <QJsonDocument>
#include <QTest>

using namespace tokenkeeper;

namespace {

QString part(const QByteArray &json)
{
    return QString::fromLatin1(
        json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString make(const QByteArray &header, const QByteArray &claims)
{
    return part(header) + u'.' + part(claims) + QStringLiteral(".c2lnbmF0dXJl");
}

} // namespace

class TestJwt final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decode_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<bool>("isJwt");
        QTest::addColumn<qint64>("exp");

        QTest::newRow("hs256 with exp")
            << make(R"({"alg":"HS256","typ":"JWT"})", R"({"sub":"a","exp":1700000000})") << true
            << qint64(1700000000);
        QTest::newRow("no exp") << make(R"({"alg":"none"})", R"({"sub":"a"})") << true
                                << qint64(-1);
        QTest::newRow("fractional exp")
            << make(R"({"alg":"RS256"})", R"({"exp":1700000000.75})") << true << qint64(1700000000);
        QTest::newRow("exp as string is not a time")
            << make(R"({"alg":"HS256"})", R"({"exp":"1700000000"})") << true << qint64(-1);
        QTest::newRow("squirro opaque hex")
            << QStringLiteral("882d9b12cce019ee0137e54beaeea2227db4db3e") << false << qint64(-1);
        QTest::newRow("two parts")
            << part(R"({"alg":"HS256"})") + QStringLiteral(".abc") << false << qint64(-1);
        QTest::newRow("header not json") << QStringLiteral("bm9wZQ.e30.sig") << false << qint64(-1);
        QTest::newRow("header without alg")
            << make(R"({"typ":"JWT"})", R"({})") << false << qint64(-1);
        QTest::newRow("bad base64") << QStringLiteral("e30!.e30.sig") << false << qint64(-1);
        QTest::newRow("claims an array")
            << make(R"({"alg":"HS256"})", "[1,2]") << false << qint64(-1);
        QTest::newRow("empty") << QString() << false << qint64(-1);
        QTest::newRow("absurd exp")
            << make(R"({"alg":"HS256"})", R"({"exp":1e300})") << true << qint64(-1);
    }

    void decode()
    {
        QFETCH(QString, token);
        QFETCH(bool, isJwt);
        QFETCH(qint64, exp);

        const auto jwt = Jwt::decode(token);
        QCOMPARE(jwt.has_value(), isJwt);
        if (!jwt) {
            return;
        }
        const auto expiry = jwt->expiresAt();
        QCOMPARE(expiry.has_value(), exp >= 0);
        if (expiry) {
            QCOMPARE(expiry->toSecsSinceEpoch(), exp);
            QCOMPARE(expiry->timeSpec(), Qt::UTC);
        }
    }

    void decode_readsHeaderAndClaims()
    {
        const auto jwt =
            Jwt::decode(make(R"({"alg":"HS256","kid":"k1"})",
                             R"({"iss":"argus-api","type":"ACCESS","iat":10,"nbf":5})"));
        QVERIFY(jwt);
        QCOMPARE(jwt->header().value(QStringLiteral("kid")).toString(), QStringLiteral("k1"));
        QCOMPARE(jwt->claims().value(QStringLiteral("iss")).toString(),
                 QStringLiteral("argus-api"));
        QCOMPARE(jwt->issuedAt()->toSecsSinceEpoch(), 10);
        QCOMPARE(jwt->notBefore()->toSecsSinceEpoch(), 5);
    }
};

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
