// `tokenkeeper profile edit` against the emulator and the real keychain: what
// keeps the login, what forgets it, and what is refused without a change.
#include "presetcases.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <csignal>

using namespace tokenkeeper::test;

class TestCliProfileEdit final : public QObject
{
    Q_OBJECT

    Emulator m_emulator;
    Cli m_cli;
    int m_profiles = 0;

    // The OAuth 2.0 password case: it has a user, a client and a scope.
    static PresetCase oauthCase() { return presetCases().at(4); }

    // A fresh profile, logged in; its name.
    QString addLoggedInProfile()
    {
        const QString name = QStringLiteral("edit #%1").arg(++m_profiles);
        return addLoggedIn(m_cli, oauthCase(), name, m_emulator.baseUrl()) ? name : QString();
    }

    QJsonObject show(const QString &name)
    {
        const CliResult shown = m_cli.run(
            {QStringLiteral("profile"), QStringLiteral("show"), name, QStringLiteral("--json")});
        return shown.exitCode == 0 ? QJsonDocument::fromJson(shown.out).object() : QJsonObject();
    }

    CliResult edit(const QString &name, const QStringList &options)
    {
        return m_cli.run(QStringList {QStringLiteral("profile"), QStringLiteral("edit"), name}
                         + options);
    }

    // Whether `token NAME` gives a token the protected API accepts.
    bool tokenWorks(const QString &name)
    {
        return tokenkeeper::test::tokenWorks(m_cli, m_emulator, oauthCase(), name);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_emulator.start(), "the demo server did not start"); }

    void rename_keepsTheLogin()
    {
        const QString name = addLoggedInProfile();
        QVERIFY(!name.isEmpty());
        const QString id = show(name).value(QStringLiteral("id")).toString();
        const QString renamed = name + QStringLiteral(" renamed");

        const CliResult result = edit(name, {QStringLiteral("--name"), renamed});
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(!result.out.contains("forgotten"));
        QVERIFY(show(name).isEmpty());
        QCOMPARE(show(renamed).value(QStringLiteral("id")).toString(), id);
        QVERIFY(keychainHolds(id));
        QVERIFY(tokenWorks(renamed));
    }

    void newScope_keepsTheLogin()
    {
        const QString name = addLoggedInProfile();
        QVERIFY(!name.isEmpty());
        const QString id = show(name).value(QStringLiteral("id")).toString();

        const CliResult result = edit(name, {QStringLiteral("--scope"), QStringLiteral("read")});
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(!result.out.contains("forgotten"));
        QCOMPARE(show(name).value(QStringLiteral("scope")).toString(), QStringLiteral("read"));
        QVERIFY(keychainHolds(id));
        QVERIFY(tokenWorks(name));
    }

    void newUrlOrigin_forgetsTheSecrets_andSaysSo()
    {
        const QString name = addLoggedInProfile();
        QVERIFY(!name.isEmpty());
        const QString id = show(name).value(QStringLiteral("id")).toString();
        QVERIFY(keychainHolds(id));
        QUrl elsewhere = m_emulator.baseUrl();
        elsewhere.setPort(1); // nothing listens there; nothing may be sent there either

        const CliResult result = edit(name, {QStringLiteral("--url"), elsewhere.toString()});
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY2(result.out.contains("secrets were forgotten"), result.out.constData());
        QVERIFY(result.out.contains("tokenkeeper login"));
        QCOMPARE(show(name).value(QStringLiteral("baseUrl")).toString(), elsewhere.toString());
        QVERIFY(!keychainHolds(id));
        QCOMPARE(m_cli.run({QStringLiteral("token"), name}).exitCode, 3); // log in again
    }

    // With an agent running, the agent forgets what it held for the old
    // account: its next answer is "log in", never a token of the old server.
    void newUrl_withAnAgent_theAgentForgetsTheOldSession()
    {
        const QString name = addLoggedInProfile();
        QVERIFY(!name.isEmpty());
        QProcess agent;
        agent.setProcessEnvironment(m_cli.environment());
        agent.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        agent.start(cliPath(), {QStringLiteral("agent")});
        QVERIFY(agent.waitForStarted(5000));
        const QString socket = m_cli.runtimeDir() + QStringLiteral("/tokenkeeper/agent.sock");
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(socket), 10'000);
        QVERIFY(tokenWorks(name)); // the agent holds the session now
        const int loginsBefore =
            m_emulator.stat(QStringLiteral("logins"), QStringLiteral("oauth2"));

        QUrl elsewhere = m_emulator.baseUrl();
        elsewhere.setPort(1);
        const CliResult result = edit(name, {QStringLiteral("--url"), elsewhere.toString()});
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(result.out.contains("secrets were forgotten"));
        const CliResult token = m_cli.run({QStringLiteral("token"), name});
        QVERIFY2(token.exitCode == 3, qPrintable(token.describe()));
        QVERIFY(token.out.isEmpty());
        QCOMPARE(m_emulator.stat(QStringLiteral("logins"), QStringLiteral("oauth2")), loginsBefore);

        ::kill(pid_t(agent.processId()), SIGTERM);
        QVERIFY(agent.waitForFinished(5000));
    }

    void badValues_areRefused_andTheProfileIsUnchanged_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::newRow("not a URL")
            << QStringList {QStringLiteral("--url"), QStringLiteral("not a url")};
        QTest::newRow("negative lifetime")
            << QStringList {QStringLiteral("--lifetime"), QStringLiteral("-5")};
        QTest::newRow("name taken")
            << QStringList {QStringLiteral("--name"), QStringLiteral("other")};
        QTest::newRow("empty name") << QStringList {QStringLiteral("--name"), QString()};
        QTest::newRow("client auth")
            << QStringList {QStringLiteral("--client-auth"), QStringLiteral("carrier-pigeon")};
        QTest::newRow("unknown preset")
            << QStringList {QStringLiteral("--preset"), QStringLiteral("nope")};
        QTest::newRow("foreign param")
            << QStringList {QStringLiteral("--param"), QStringLiteral("tenant=x")};
        QTest::newRow("unknown option")
            << QStringList {QStringLiteral("--colour"), QStringLiteral("red")};
        QTest::newRow("both confidential flags") << QStringList {
            QStringLiteral("--confidential-client"), QStringLiteral("--no-confidential-client")};
        QTest::newRow("password as argument")
            << QStringList {QStringLiteral("--password"), QStringLiteral("x")};
    }

    void badValues_areRefused_andTheProfileIsUnchanged()
    {
        QFETCH(QStringList, options);
        static QString name;
        if (name.isEmpty()) {
            name = addLoggedInProfile();
            QCOMPARE(
                m_cli
                    .run({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("other"),
                          QStringLiteral("--preset"), QStringLiteral("oauth2-client-credentials"),
                          QStringLiteral("--url"), m_emulator.baseUrl().toString(),
                          QStringLiteral("--client-id"), QStringLiteral("c")})
                    .exitCode,
                0);
        }
        QVERIFY(!name.isEmpty());
        const QJsonObject before = show(name);
        const QString id = before.value(QStringLiteral("id")).toString();

        const CliResult result = edit(name, options);
        QVERIFY2(result.exitCode == 2, qPrintable(result.describe()));
        QVERIFY(result.err.startsWith("tokenkeeper: "));
        QCOMPARE(show(name), before);
        QVERIFY(keychainHolds(id));
        QVERIFY(tokenWorks(name));
    }

    void noProfile_isAnError()
    {
        const CliResult result = edit(QStringLiteral("no such profile"),
                                      {QStringLiteral("--scope"), QStringLiteral("x")});
        QVERIFY(result.exitCode != 0);
        QVERIFY(result.err.contains("no such profile"));
    }
};

QTEST_GUILESS_MAIN(TestCliProfileEdit)
#include "tst_cli_profile_edit.moc"
