// A keychain entry read back: what Tokenkeeper wrote, and what another
// program with access to the keyring may have left in its place.
#include "auth/credentials.h"

#include <QTest>

using namespace tokenkeeper;

class TestCredentials final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void written_isReadBack()
    {
        Credentials credentials;
        credentials.refreshToken = QStringLiteral("r1");
        credentials.accessToken = QStringLiteral("a1");
        credentials.accessExpiresAt = QDateTime::fromSecsSinceEpoch(1'800'000'900, Qt::UTC);
        credentials.accessObtainedAt = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
        credentials.lostAnswers = 1;
        const auto read = Credentials::fromJson(credentials.toJson());
        QVERIFY(read);
        QCOMPARE(read->refreshToken, credentials.refreshToken);
        QCOMPARE(read->accessExpiresAt, credentials.accessExpiresAt);
        QCOMPARE(read->accessObtainedAt, credentials.accessObtainedAt);
        QCOMPARE(read->lostAnswers, 1);
    }

    // Found by fuzz_credentials: 1.8e84 was cast to qint64 (undefined
    // behaviour, an arbitrary date). A time out of 1970..9999 is no time:
    // the access token is then renewed instead of trusted.
    void timesOutOfRange_areNoTime_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("1.8e84") << QByteArrayLiteral("1.8e84");
        QTest::newRow("-1e300") << QByteArrayLiteral("-1e300");
        QTest::newRow("after 9999") << QByteArrayLiteral("253402300800");
        QTest::newRow("before 1970") << QByteArrayLiteral("-5");
        QTest::newRow("a string") << QByteArrayLiteral("\"1800000900\"");
        QTest::newRow("null") << QByteArrayLiteral("null");
    }

    void timesOutOfRange_areNoTime()
    {
        QFETCH(QByteArray, value);
        const auto read = Credentials::fromJson(
            "{\"v\":1,\"refresh_token\":\"r1\",\"access_token\":\"a1\",\"access_expires_at\":"
            + value + ",\"access_obtained_at\":" + value + '}');
        QVERIFY(read);
        QCOMPARE(read->refreshToken, QStringLiteral("r1")); // the rest is kept
        QVERIFY(!read->accessExpiresAt.isValid());
        QVERIFY(!read->accessObtainedAt.isValid());
    }
};

QTEST_GUILESS_MAIN(TestCredentials)
#include "tst_credentials.moc"
