// The independent peer: oidc-provider from npm (tests/peers/oidc), a
// standards-compliant OAuth 2.0 server we did not write, on 127.0.0.1.
// Client credentials with both client-authentication styles, and refresh
// token rotation through the oauth2-refresh-token preset.
#include "testsupport.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace tokenkeeper::test;

class TestOidcPeer final : public QObject
{
    Q_OBJECT

    QProcess m_node;
    QTemporaryDir m_dir;
    QJsonObject m_peer;
    Cli m_cli;

    QString tokenEndpoint() const
    {
        return m_peer.value(QStringLiteral("tokenEndpoint")).toString();
    }

    QString issuer() const { return m_peer.value(QStringLiteral("issuer")).toString(); }

private Q_SLOTS:
    void initTestCase()
    {
        const QString peerDir = qEnvironmentVariable("TOKENKEEPER_OIDC_PEER_DIR");
        QVERIFY2(QFile::exists(peerDir + QStringLiteral("/node_modules/oidc-provider")),
                 "run `npm ci` in tests/peers/oidc (make test does)");
        const QString out = m_dir.filePath(QStringLiteral("peer.json"));
        m_node.setWorkingDirectory(peerDir);
        m_node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_node.setStandardOutputFile(QProcess::nullDevice());
        m_node.start(QStringLiteral("node"),
                     {QStringLiteral("server.mjs"), QStringLiteral("--port"), QStringLiteral("0"),
                      QStringLiteral("--out"), out, QStringLiteral("--access-ttl"),
                      QStringLiteral("60")});
        QVERIFY(m_node.waitForStarted(10'000));
        const QDeadlineTimer deadline(30'000);
        while (!deadline.hasExpired() && m_peer.isEmpty()) {
            QFile file(out);
            if (file.open(QIODevice::ReadOnly)) {
                m_peer = QJsonDocument::fromJson(file.readAll()).object();
            }
            QThread::msleep(50);
        }
        QVERIFY2(!m_peer.isEmpty(), "oidc-provider did not start");
        QVERIFY(issuer().startsWith(QStringLiteral("http://127.0.0.1:")));
    }

    void cleanupTestCase()
    {
        m_node.terminate();
        if (!m_node.waitForFinished(5000)) {
            m_node.kill();
            m_node.waitForFinished(2000);
        }
    }

    void clientCredentials_data()
    {
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<QString>("clientAuth");
        QTest::newRow("client_secret_basic")
            << QStringLiteral("tk-cc") << QByteArray("tk-cc-secret-8c1d")
            << QStringLiteral("basic");
        QTest::newRow("client_secret_post")
            << QStringLiteral("tk-cc-post") << QByteArray("tk-cc-post-secret-19ab")
            << QStringLiteral("body");
    }

    void clientCredentials()
    {
        QFETCH(QString, clientId);
        QFETCH(QByteArray, secret);
        QFETCH(QString, clientAuth);
        const QString name = QStringLiteral("oidc ") + clientId;
        const auto added = m_cli.run(
            {QStringLiteral("profile"), QStringLiteral("add"), name, QStringLiteral("--preset"),
             QStringLiteral("oauth2-client-credentials"), QStringLiteral("--url"), issuer(),
             QStringLiteral("--token-url"), tokenEndpoint(), QStringLiteral("--client-id"),
             clientId, QStringLiteral("--client-auth"), clientAuth});
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));

        const auto wrong = m_cli.run({QStringLiteral("login"), name}, "wrong-secret\n");
        QVERIFY2(wrong.exitCode == 3, qPrintable(wrong.describe()));
        QVERIFY2(wrong.err.contains("invalid_client"), wrong.err.constData());

        const auto login = m_cli.run({QStringLiteral("login"), name}, secret + '\n');
        QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));
        const auto first = m_cli.run({QStringLiteral("token"), name, QStringLiteral("--json")});
        QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
        const QJsonObject json = QJsonDocument::fromJson(first.out).object();
        QVERIFY(!json.value(QStringLiteral("access_token")).toString().isEmpty());
        QCOMPARE(json.value(QStringLiteral("lifetime_source")).toString(),
                 QStringLiteral("expires_in"));
        QVERIFY(json.value(QStringLiteral("expires_in")).toInt() > 0);

        // Renewal needs no refresh token: the kept client secret does it.
        const auto second = m_cli.run(
            {QStringLiteral("token"), name, QStringLiteral("--min-valid"), QStringLiteral("3600")});
        QVERIFY2(second.exitCode == 0, qPrintable(second.describe()));
        QVERIFY(second.out.trimmed()
                != json.value(QStringLiteral("access_token")).toString().toUtf8());
    }

    void refreshToken_confidentialClient_authenticatesEveryRefresh()
    {
        const QString name = QStringLiteral("oidc confidential");
        const auto added = m_cli.run(
            {QStringLiteral("profile"), QStringLiteral("add"), name, QStringLiteral("--preset"),
             QStringLiteral("oauth2-refresh-token"), QStringLiteral("--url"), issuer(),
             QStringLiteral("--token-url"), tokenEndpoint(), QStringLiteral("--client-id"),
             QStringLiteral("tk-conf"), QStringLiteral("--confidential-client")});
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        const QByteArray pasted =
            m_peer.value(QStringLiteral("confidentialRefreshToken")).toString().toUtf8();
        QVERIFY(!pasted.isEmpty());
        // First line the refresh token, second line the client secret.
        const auto login =
            m_cli.run({QStringLiteral("login"), name}, pasted + "\ntk-conf-secret-4e7a\n");
        QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));
        for (int i = 0; i < 3; ++i) {
            const auto result = m_cli.run({QStringLiteral("token"), name});
            QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        }
        const auto shown = m_cli.run({QStringLiteral("profile"), QStringLiteral("show"), name});
        QVERIFY(shown.out.contains("confidential"));
        QVERIFY(!shown.out.contains("tk-conf-secret"));
    }

    void refreshToken_rotatesAndEachRotationIsKept()
    {
        const QString name = QStringLiteral("oidc public");
        const auto added = m_cli.run(
            {QStringLiteral("profile"), QStringLiteral("add"), name, QStringLiteral("--preset"),
             QStringLiteral("oauth2-refresh-token"), QStringLiteral("--url"), issuer(),
             QStringLiteral("--token-url"), tokenEndpoint(), QStringLiteral("--client-id"),
             QStringLiteral("tk-public")});
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        const QByteArray pasted = m_peer.value(QStringLiteral("refreshToken")).toString().toUtf8();
        QVERIFY(!pasted.isEmpty());
        const auto login = m_cli.run({QStringLiteral("login"), name}, pasted + '\n');
        QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));

        // Each call refreshes (no agent yet; `token` would reuse the stored
        // token) and the provider rotates every time; a lost rotation would
        // make the next call fail with invalid_grant.
        QByteArray previous;
        for (int i = 0; i < 4; ++i) {
            const auto result = m_cli.run({QStringLiteral("refresh"), name});
            QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
            QVERIFY(result.out.trimmed() != previous);
            previous = result.out.trimmed();
        }

        // The pasted token was rotated away: the provider refuses it now.
        const QString reused = QStringLiteral("reused");
        QCOMPARE(
            m_cli
                .run({QStringLiteral("profile"), QStringLiteral("add"), reused,
                      QStringLiteral("--preset"), QStringLiteral("oauth2-refresh-token"),
                      QStringLiteral("--url"), issuer(), QStringLiteral("--token-url"),
                      tokenEndpoint(), QStringLiteral("--client-id"), QStringLiteral("tk-public")})
                .exitCode,
            0);
        const auto stale = m_cli.run({QStringLiteral("login"), reused}, pasted + '\n');
        QVERIFY2(stale.exitCode == 3, qPrintable(stale.describe()));
        QVERIFY2(stale.err.contains("invalid_grant"), stale.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestOidcPeer)
#include "tst_oidc_peer.moc"
