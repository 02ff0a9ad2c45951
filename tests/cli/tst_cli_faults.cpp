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

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_emulator.start());
        // Keep slow answers short for the test: the client gives up after 2 s.
        m_cli.environment().insert(QStringLiteral("TOKENKEEPER_HTTP_TIMEOUT_MS"),
                                   QStringLiteral("2000"));
        for (const PresetCase &c : presetCases()) {
            const QString name = QStringLiteral("faulty ") + c.preset;
            QCOMPARE(m_cli
                         .run(QStringList {QStringLiteral("profile"), QStringLiteral("add"), name,
                                           QStringLiteral("--preset"), c.preset,
                                           QStringLiteral("--url"), m_emulator.baseUrl().toString()}
                              + c.addArgs)
                         .exitCode,
                     0);
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
        QByteArray secret;
        for (const PresetCase &c : presetCases()) {
            if (c.preset == preset) {
                secret = c.secret;
            }
        }

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
        QCOMPARE(m_emulator.get(QStringLiteral("/_emulator/stats"))
                     .value(QStringLiteral("reuseDetected"))
                     .toObject()
                     .value(QStringLiteral("sensu"))
                     .toInt(),
                 0);
    }
};

QTEST_GUILESS_MAIN(TestCliFaults)
#include "tst_cli_faults.moc"
