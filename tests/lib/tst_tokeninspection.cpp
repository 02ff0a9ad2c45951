#include "auth/tokeninspection.h"

#include <QTest>

using namespace tokenkeeper;

namespace {

QString jwt(const QByteArray &claims)
{
    const auto part = [](const QByteArray &json) {
        return QString::fromLatin1(
            json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    return part(R"({"alg":"RS256","typ":"JWT"})") + u'.' + part(claims) + QStringLiteral(".sig");
}

} // namespace

class TestTokenInspection final : public QObject
{
    Q_OBJECT

    const QDateTime m_now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);

private Q_SLOTS:
    void opaqueToken_isSaidToBeOpaque()
    {
        const auto inspection = TokenInspection::inspect(
            QStringLiteral("882d9b12cce019ee0137e54beaeea2227db4db3e"), m_now);
        QVERIFY(!inspection.isJwt);
        QVERIFY(inspection.kind.startsWith(QStringLiteral("Opaque token (40 characters)")));
        QVERIFY(inspection.times.isEmpty());
    }

    void jwt_claimsTimesScopesAudience()
    {
        const auto inspection = TokenInspection::inspect(
            jwt(R"({"iss":"argus-api","sub":"alice","aud":["api","web"],"scope":"read write",)"
                R"("exp":1800000300,"iat":1799999700,"nbf":1799999700})"),
            m_now, m_now.addSecs(-300));
        QVERIFY(inspection.isJwt);
        QCOMPARE(inspection.kind, QStringLiteral("JWT (RS256)"));
        QCOMPARE(inspection.issuer, QStringLiteral("argus-api"));
        QCOMPARE(inspection.subject, QStringLiteral("alice"));
        QCOMPARE(inspection.audience, (QStringList {QStringLiteral("api"), QStringLiteral("web")}));
        QCOMPARE(inspection.scopes,
                 (QStringList {QStringLiteral("read"), QStringLiteral("write")}));
        QCOMPARE(inspection.times.size(), 3);
        QCOMPARE(inspection.times[0].label, QStringLiteral("Expires"));
        QCOMPARE(inspection.times[0].relative, QStringLiteral("in 5 min"));
        QCOMPARE(inspection.times[1].relative, QStringLiteral("5 min ago"));
        QVERIFY(inspection.clockWarning.isEmpty());
    }

    void jwt_issuedFarFromWhenWeGotIt_warnsOfTheServersClock_data()
    {
        QTest::addColumn<qint64>("issuedOffset");
        QTest::addColumn<QString>("says");
        QTest::newRow("server 2 h ahead") << qint64(7200) << QStringLiteral("2 h ahead of");
        QTest::newRow("server 10 min behind") << qint64(-600) << QStringLiteral("10 min behind");
    }

    void jwt_issuedFarFromWhenWeGotIt_warnsOfTheServersClock()
    {
        QFETCH(qint64, issuedOffset);
        QFETCH(QString, says);
        const qint64 iat = m_now.toSecsSinceEpoch() + issuedOffset;
        const auto inspection =
            TokenInspection::inspect(jwt("{\"iat\":" + QByteArray::number(iat)
                                         + ",\"exp\":" + QByteArray::number(iat + 300) + "}"),
                                     m_now, m_now);
        QVERIFY2(inspection.clockWarning.contains(says), qPrintable(inspection.clockWarning));
    }

    void scp_arrayIsScopesToo()
    {
        const auto inspection =
            TokenInspection::inspect(jwt(R"({"scp":["a","b"],"aud":"one"})"), m_now);
        QCOMPARE(inspection.scopes, (QStringList {QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(inspection.audience, QStringList {QStringLiteral("one")});
    }

    void relative_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("now") << qint64(0) << QStringLiteral("now");
        QTest::newRow("45 s") << qint64(45) << QStringLiteral("in 45 s");
        QTest::newRow("10 min ago") << qint64(-600) << QStringLiteral("10 min ago");
        QTest::newRow("3 h") << qint64(3 * 3600) << QStringLiteral("in 3 h");
        QTest::newRow("30 days") << qint64(30 * 86400) << QStringLiteral("in 30 days");
    }

    void relative()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, text);
        QCOMPARE(TokenInspection::relative(seconds), text);
    }
};

QTEST_GUILESS_MAIN(TestTokenInspection)
#include "tst_tokeninspection.moc"
