// A user adds a preset file for an in-house login API, without recompiling:
// the shipped example (resources/examples/acme-preset.json) against the
// emulator's Acme API.
#include "democredentials.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

class TestCliUserPreset final : public QObject
{
    Q_OBJECT

    Emulator m_emulator;
    Cli m_cli;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_emulator.start());
        const QString presets = m_cli.configDir() + QStringLiteral("/tokenkeeper/presets");
        QVERIFY(QDir().mkpath(presets));
        QVERIFY(QFile::copy(sourceDir() + QStringLiteral("/resources/examples/acme-preset.json"),
                            presets + QStringLiteral("/acme.json")));
    }

    void presets_listTheUsersFile()
    {
        const auto result = m_cli.run({QStringLiteral("presets")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("acme"));
        QVERIFY(result.err.isEmpty());
    }

    void userPreset_login_token_refresh()
    {
        QCOMPARE(m_cli
                     .run({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("acme"),
                           QStringLiteral("--preset"), QStringLiteral("acme"),
                           QStringLiteral("--url"), m_emulator.baseUrl().toString(),
                           QStringLiteral("--username"), QLatin1String(emulator::demo::acmeUser)})
                     .exitCode,
                 0);
        const auto bad = m_cli.run({QStringLiteral("login"), QStringLiteral("acme")}, "nope\n");
        QVERIFY2(bad.exitCode == 3, qPrintable(bad.describe()));
        QVERIFY2(bad.err.contains("bad user or password"), bad.err.constData());

        const auto login = m_cli.run({QStringLiteral("login"), QStringLiteral("acme")},
                                     QByteArray(emulator::demo::acmePassword) + '\n');
        QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));
        const auto first = m_cli.run({QStringLiteral("token"), QStringLiteral("acme")});
        QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
        const QByteArray token = first.out.trimmed();
        QCOMPARE(m_emulator.call("GET", QStringLiteral("/acme/api/whoami"), token), 200);

        // The nested "data.ttl" is the lifetime.
        const auto json =
            m_cli.run({QStringLiteral("token"), QStringLiteral("acme"), QStringLiteral("--json")});
        QVERIFY(json.out.contains("\"lifetime_source\":\"expires_in\""));
    }

    void brokenUserPreset_isReportedAndOthersStillWork()
    {
        QFile broken(m_cli.configDir() + QStringLiteral("/tokenkeeper/presets/broken.json"));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{ \"id\": ");
        broken.close();
        const auto result = m_cli.run({QStringLiteral("presets")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.contains("acme"));
        QVERIFY(result.err.contains("broken.json"));
        QVERIFY(broken.remove());
    }
};

QTEST_GUILESS_MAIN(TestCliUserPreset)
#include "tst_cli_userpreset.moc"
