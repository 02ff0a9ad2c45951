// Every fault mode of the emulators against every preset that renews over the
// network: a clear error (exit 4) that names the problem, no secret in it, and
// afterwards the profile and its stored secret are intact (the next token
// works without logging in again).
#include "presetcases.h"
#include "testsupport.h"

#include <QJsonObject>
#include <QTest>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

class TestCliFaults final : public QObject
{
    Q_OBJECT

    Emulator m_emulator;
    Cli m_cli;
    QHash<QString, QString> m_profileOf; // preset -> logged-in profile name

    // Adds a profile for the demo case on the emulator; the exit code.
    int addProfile(const QString &name, const PresetCase &c)
    {
        return m_cli
            .run(QStringList {QStringLiteral("profile"), QStringLiteral("add"), name,
                              QStringLiteral("--preset"), c.preset, QStringLiteral("--url"),
                              m_emulator.baseUrl().toString()}
                 + c.addArgs)
            .exitCode;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_emulator.start());
        // Keep slow answers short for the test: the client gives up after 2 s.
        m_cli.environment().insert(QStringLiteral("TOKENKEEPER_HTTP_TIMEOUT_MS"),
                                   QStringLiteral("2000"));
        for (const PresetCase &c : presetCases()) {
            const QString name = QStringLiteral("faulty ") + c.preset;
            QCOMPARE(addProfile(name, c), 0);
            const auto login = m_cli.run({QStringLiteral("login"), name}, c.secret + '\n');
            QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));
            m_profileOf.insert(c.preset, name);
        }
    }

    void cleanup()
    {
        m_emulator.post(QStringLiteral("/_emulator/fault"),
                        {{QStringLiteral("mode"), QStringLiteral("none")}});
    }

    void fault_givesClearError_andLosesNothing_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("says");
        const QList<std::pair<QString, QString>> modes = {
            {QStringLiteral("5xx"), QStringLiteral("server error")},
            {QStringLiteral("429"), QStringLiteral("limiting requests")},
            {QStringLiteral("drop"), QStringLiteral("closed the connection")},
            {QStringLiteral("slow"), QStringLiteral("did not answer")},
            {QStringLiteral("garbage"), QStringLiteral("not a JSON object")},
            {QStringLiteral("html"), QStringLiteral("HTML page")},
            {QStringLiteral("huge"), QStringLiteral("larger than")},
            {QStringLiteral("crlf"), QStringLiteral("line break")},
        };
        for (const PresetCase &c : presetCases()) {
            for (const auto &[mode, says] : modes) {
                QTest::newRow(qPrintable(c.preset + u' ' + mode)) << c.preset << mode << says;
            }
        }
    }

    void fault_givesClearError_andLosesNothing()
    {
        QFETCH(QString, preset);
        QFETCH(QString, mode);
        QFETCH(QString, says);
        const QString name = m_profileOf.value(preset);
        const QByteArray secret = presetCase(preset).secret;

        m_emulator.post(
            QStringLiteral("/_emulator/fault"),
            {{QStringLiteral("mode"), mode}, {QStringLiteral("target"), QStringLiteral("token")}});
        // `refresh` renews through the fault (`token` would hand out the token
        // in hand, still valid, with a warning: tst_cli_presets).
        const auto failed = m_cli.run({QStringLiteral("refresh"), name});
        QVERIFY2(failed.exitCode == 4, qPrintable(failed.describe()));
        QVERIFY2(failed.err.contains(says.toUtf8()), failed.err.constData());
        QVERIFY(failed.out.isEmpty());
        QVERIFY(!failed.err.contains(secret));
        QVERIFY(failed.err.count('\n') <= 3); // one clear message, not a dump

        cleanup();
        const auto after = m_cli.run({QStringLiteral("token"), name, QStringLiteral("--min-valid"),
                                      QStringLiteral("9999999")});
        QVERIFY2(after.exitCode == 0, qPrintable(after.describe()));
        QCOMPARE(m_cli.run({QStringLiteral("profile"), QStringLiteral("show"), name}).exitCode, 0);
    }

    void sensu_noRefreshTokenReusedThroughAllFaults()
    {
        QCOMPARE(m_emulator.stat(QStringLiteral("reuseDetected"), QStringLiteral("sensu")), 0);
    }

    // The server rotates the refresh token and the answer is lost on the
    // way: the old one is sent once more (the server may never have seen
    // it), never again after that, and the user hears what happened.
    void lostAnswer_refreshTokenSentOnceMore_thenALoginIsAsked_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("server"); // its name in the emulator's stats
        QTest::addColumn<QString>("tokenPath");
        QTest::newRow("sensu") << QStringLiteral("sensu") << QStringLiteral("sensu")
                               << QStringLiteral("/auth/token");
        QTest::newRow("oauth2") << QStringLiteral("oauth2-password") << QStringLiteral("oauth2")
                                << QStringLiteral("/oauth/token");
    }

    void lostAnswer_refreshTokenSentOnceMore_thenALoginIsAsked()
    {
        QFETCH(QString, preset);
        QFETCH(QString, server);
        QFETCH(QString, tokenPath);
        const QString name = QStringLiteral("lost ") + preset;
        const PresetCase c = presetCase(preset);
        QCOMPARE(addProfile(name, c), 0);
        QCOMPARE(m_cli.run({QStringLiteral("login"), name}, c.secret + '\n').exitCode, 0);
        const auto refreshes = [this, server] {
            return m_emulator.stat(QStringLiteral("refreshes"), server);
        };
        const int before = refreshes();

        m_emulator.post(QStringLiteral("/_emulator/fault"),
                        {{QStringLiteral("mode"), QStringLiteral("lost")},
                         {QStringLiteral("target"), QStringLiteral("token")},
                         {QStringLiteral("count"), 1}});
        const auto lost = m_cli.run({QStringLiteral("refresh"), name});
        QVERIFY2(lost.exitCode == 4, qPrintable(lost.describe()));
        QVERIFY2(lost.err.contains("answer was lost") && lost.err.contains("once more"),
                 lost.err.constData());

        // Once more: the server had rotated it, so it refuses (and ends the session).
        const auto refused = m_cli.run({QStringLiteral("refresh"), name});
        QVERIFY2(refused.exitCode == 3, qPrintable(refused.describe()));
        QVERIFY2(refused.err.contains("earlier answer") && refused.err.contains("log in again"),
                 refused.err.constData());
        QVERIFY(!refused.err.contains(c.secret));
        QCOMPARE(m_emulator.stat(QStringLiteral("reuseDetected"), server), 1);

        // Never a third time: no request reaches the server, the same advice.
        const int sent = m_emulator.stat(QStringLiteral("requests"), tokenPath);
        for (int attempt = 0; attempt < 3; ++attempt) {
            const auto again = m_cli.run({QStringLiteral("refresh"), name});
            QVERIFY2(again.exitCode == 3, qPrintable(again.describe()));
            QVERIFY2(again.err.contains("not sent again"), again.err.constData());
        }
        QCOMPARE(m_emulator.stat(QStringLiteral("requests"), tokenPath), sent);
        QCOMPARE(refreshes() - before, 1); // the lost one; the resent one was refused

        // A login starts over.
        QCOMPARE(m_cli.run({QStringLiteral("login"), name}, c.secret + '\n').exitCode, 0);
        const auto fresh = m_cli.run({QStringLiteral("refresh"), name});
        QVERIFY2(fresh.exitCode == 0, qPrintable(fresh.describe()));
        QCOMPARE(m_emulator.call("GET", c.apiPath, fresh.out.trimmed()), 200);
    }

    // With a remembered password, the same loss ends in a login of its own.
    void lostAnswer_rememberedPassword_logsInAgainOnItsOwn()
    {
        const QString name = QStringLiteral("lost remembered");
        const PresetCase c = presetCase(QStringLiteral("sensu"));
        QCOMPARE(addProfile(name, c), 0);
        QCOMPARE(m_cli
                     .run({QStringLiteral("login"), name, QStringLiteral("--remember-password")},
                          c.secret + '\n')
                     .exitCode,
                 0);
        m_emulator.post(QStringLiteral("/_emulator/fault"),
                        {{QStringLiteral("mode"), QStringLiteral("lost")},
                         {QStringLiteral("target"), QStringLiteral("token")},
                         {QStringLiteral("count"), 1}});
        QCOMPARE(m_cli.run({QStringLiteral("refresh"), name}).exitCode, 4);
        const auto again = m_cli.run({QStringLiteral("refresh"), name});
        QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
        QCOMPARE(m_emulator.call("GET", c.apiPath, again.out.trimmed()), 200);
        // And the session goes on as before: the next refresh needs nothing more.
        const auto next = m_cli.run({QStringLiteral("refresh"), name});
        QVERIFY2(next.exitCode == 0, qPrintable(next.describe()));
    }
};

QTEST_GUILESS_MAIN(TestCliFaults)
#include "tst_cli_faults.moc"
