// Every built-in preset end to end: the `tokenkeeper` command line against our
// emulators over real sockets on 127.0.0.1, secrets in the real gnome-keyring.
#include "presetcases.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>
#include <QThread>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

class TestCliPresets final : public QObject
{
    Q_OBJECT

    Emulator m_emulator;
    Cli m_cli;
    int m_profiles = 0;
    QStringList m_used; // every secret we typed, for the disk scan at the end
    QStringList m_seen; // every token the command line printed

    // Adds a fresh profile for the case and returns its name.
    QString addProfile(const PresetCase &c, const QStringList &extra = {})
    {
        const QString name = QStringLiteral("%1 #%2").arg(c.preset).arg(++m_profiles);
        const auto result =
            m_cli.run(QStringList {QStringLiteral("profile"), QStringLiteral("add"), name,
                                   QStringLiteral("--preset"), c.preset, QStringLiteral("--url"),
                                   m_emulator.baseUrl().toString()}
                      + c.addArgs + extra);
        if (result.exitCode != 0) {
            qWarning("profile add failed: %s", qPrintable(result.describe()));
        }
        return name;
    }

    CliResult login(const QString &name, const QByteArray &secret)
    {
        m_used.append(QString::fromUtf8(secret));
        return m_cli.run({QStringLiteral("login"), name}, secret + '\n');
    }

    QByteArray token(const QString &name, const QStringList &extra = {}, int *exitCode = nullptr)
    {
        const auto result = m_cli.run(QStringList {QStringLiteral("token"), name} + extra);
        if (exitCode) {
            *exitCode = result.exitCode;
        }
        if (result.exitCode != 0) {
            qWarning("token failed: %s", qPrintable(result.describe()));
            return {};
        }
        const QByteArray value = result.out.trimmed();
        m_seen.append(QString::fromUtf8(value));
        return value;
    }

    void setLifetime(const QString &server, int seconds)
    {
        m_emulator.post(QStringLiteral("/_emulator/config"),
                        {{QStringLiteral("lifetimes"), QJsonObject {{server, seconds}}}});
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_emulator.start(), "the demo server did not start"); }

    void init() { m_emulator.post(QStringLiteral("/_emulator/reset")); }

    void login_thenToken_isAcceptedByTheProtectedApi_data()
    {
        QTest::addColumn<int>("index");
        const auto cases = presetCases();
        for (int i = 0; i < cases.size(); ++i) {
            QTest::newRow(qPrintable(cases[i].preset)) << i;
        }
    }

    void login_thenToken_isAcceptedByTheProtectedApi()
    {
        QFETCH(int, index);
        const PresetCase c = presetCases().at(index);
        const QString name = addProfile(c);
        const auto loggedIn = login(name, c.secret);
        QVERIFY2(loggedIn.exitCode == 0, qPrintable(loggedIn.describe()));

        const QByteArray access = token(name);
        QVERIFY(!access.isEmpty());
        QCOMPARE(m_emulator.call("GET", c.apiPath, access), 200);
        QCOMPARE(m_emulator.call("GET", c.apiPath, access + "x"), 401);

        const auto header = m_cli.run({QStringLiteral("header"), name});
        QCOMPARE(header.exitCode, 0);
        const QByteArray line = header.out.trimmed();
        QVERIFY(line.startsWith("Authorization: Bearer "));
        const QByteArray fromHeader = line.mid(int(qstrlen("Authorization: Bearer ")));
        m_seen.append(QString::fromUtf8(fromHeader));
        QCOMPARE(m_emulator.call("GET", c.apiPath, fromHeader), 200);

        const auto json = m_cli.run({QStringLiteral("token"), name, QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        const QJsonObject object = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(object.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
        QVERIFY(object.value(QStringLiteral("expires_in")).toInt() > 0);
        m_seen.append(object.value(QStringLiteral("access_token")).toString());
    }

    void token_afterExpiry_isRenewedAndAccepted_data()
    {
        login_thenToken_isAcceptedByTheProtectedApi_data();
    }

    void token_afterExpiry_isRenewedAndAccepted()
    {
        QFETCH(int, index);
        const PresetCase c = presetCases().at(index);
        setLifetime(c.server, 2);
        // Squirro never says when its token expires: the profile says it
        // (else the preset's ten minutes stand, and the stored token with them).
        const QString name = addProfile(
            c,
            c.preset == u"squirro" ? QStringList {QStringLiteral("--lifetime"), QStringLiteral("2")}
                                   : QStringList {});
        QCOMPARE(login(name, c.secret).exitCode, 0);
        const QByteArray first = token(name, {QStringLiteral("--min-valid"), QStringLiteral("0")});
        QVERIFY(!first.isEmpty());
        QCOMPARE(m_emulator.call("GET", c.apiPath, first), 200);

        QThread::msleep(2600); // a real 2 s lifetime runs out
        QCOMPARE(m_emulator.call("GET", c.apiPath, first), 401);

        const QByteArray second = token(name, {QStringLiteral("--min-valid"), QStringLiteral("0")});
        QVERIFY(!second.isEmpty());
        QVERIFY(second != first);
        QCOMPARE(m_emulator.call("GET", c.apiPath, second), 200);
    }

    void sensu_fiveRotations_persistEachRefreshToken_noReuse()
    {
        const PresetCase c = presetCases().at(1);
        QCOMPARE(c.preset, QStringLiteral("sensu"));
        const QString name = addProfile(c);
        QCOMPARE(login(name, c.secret).exitCode, 0);
        const int reuseBefore = m_emulator.get(QStringLiteral("/_emulator/stats"))
                                    .value(QStringLiteral("reuseDetected"))
                                    .toObject()
                                    .value(QStringLiteral("sensu"))
                                    .toInt();
        QByteArray previous;
        for (int cycle = 0; cycle < 5; ++cycle) {
            // --min-valid beyond the 5-minute lifetime forces a refresh every time.
            const QByteArray access =
                token(name, {QStringLiteral("--min-valid"), QStringLiteral("3600")});
            QVERIFY2(!access.isEmpty(), qPrintable(QStringLiteral("cycle %1").arg(cycle)));
            QVERIFY(access != previous);
            QCOMPARE(m_emulator.call("GET", c.apiPath, access), 200);
            previous = access;
        }
        const QJsonObject stats = m_emulator.get(QStringLiteral("/_emulator/stats"));
        QCOMPARE(stats.value(QStringLiteral("reuseDetected"))
                     .toObject()
                     .value(QStringLiteral("sensu"))
                     .toInt(),
                 reuseBefore);
        // Within the lifetime, the stored access token is handed out without a refresh.
        QCOMPARE(token(name), previous);
    }

    void login_rejectedCredentials_exit3WithTheServersReason_data()
    {
        login_thenToken_isAcceptedByTheProtectedApi_data();
    }

    void login_rejectedCredentials_exit3WithTheServersReason()
    {
        QFETCH(int, index);
        const PresetCase c = presetCases().at(index);
        const QString name = addProfile(c);
        const auto result = login(name, c.badSecret);
        QVERIFY2(result.exitCode == 3, qPrintable(result.describe()));
        QVERIFY2(result.err.contains(c.rejection.toUtf8()), result.err.constData());
        QVERIFY(!result.err.contains(c.badSecret));
        // Nothing was stored: token says log in.
        int code = 0;
        token(name, {}, &code);
        QCOMPARE(code, 3);
    }

    void token_revokedOnTheServer_exit3_data()
    {
        QTest::addColumn<int>("index");
        QTest::newRow("squirro user token revoked (410)") << 0;
        QTest::newRow("sensu sessions killed") << 1;
    }

    void token_revokedOnTheServer_exit3()
    {
        QFETCH(int, index);
        const PresetCase c = presetCases().at(index);
        const QString name = addProfile(c);
        QCOMPARE(login(name, c.secret).exitCode, 0);
        m_emulator.post(QStringLiteral("/_emulator/revoke"),
                        {{QStringLiteral("server"), c.server}});
        int code = 0;
        const auto result = m_cli.run(
            {QStringLiteral("token"), name, QStringLiteral("--min-valid"), QStringLiteral("3600")});
        code = result.exitCode;
        QVERIFY2(code == 3, qPrintable(result.describe()));
        QVERIFY(result.err.contains("tokenkeeper login"));
    }

    void token_deadServer_exit4()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close(); // nobody listens there now
        const auto added =
            m_cli.run({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("dead"),
                       QStringLiteral("--preset"), QStringLiteral("argus"), QStringLiteral("--url"),
                       QStringLiteral("http://127.0.0.1:%1").arg(port),
                       QStringLiteral("--username"), QStringLiteral("u")});
        QCOMPARE(added.exitCode, 0);
        const auto result = m_cli.run({QStringLiteral("login"), QStringLiteral("dead")}, "pw\n");
        QVERIFY2(result.exitCode == 4, qPrintable(result.describe()));
        QVERIFY(result.err.contains("connection refused"));
    }

    void logout_sensu_endsTheServerSession_andForgetsTheSecret()
    {
        const PresetCase c = presetCases().at(1);
        const QString name = addProfile(c);
        QCOMPARE(login(name, c.secret).exitCode, 0);
        const QByteArray access = token(name);
        QCOMPARE(m_emulator.call("GET", c.apiPath, access), 200);
        const auto result = m_cli.run({QStringLiteral("logout"), name});
        QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
        QVERIFY(result.out.contains("server session is ended"));
        int code = 0;
        token(name, {}, &code);
        QCOMPARE(code, 3);
    }

    void profileRemove_forgetsTheSecrets()
    {
        const PresetCase c = presetCases().at(2);
        const QString name = addProfile(c);
        QCOMPARE(login(name, c.secret).exitCode, 0);
        const auto shown = m_cli.run(
            {QStringLiteral("profile"), QStringLiteral("show"), name, QStringLiteral("--json")});
        const QString id =
            QJsonDocument::fromJson(shown.out).object().value(QStringLiteral("id")).toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(m_cli.run({QStringLiteral("profile"), QStringLiteral("remove"), name}).exitCode,
                 0);
        // Re-adding under the same name gets a new id and no secrets.
        const QString again = addProfile(c);
        int code = 0;
        token(again, {}, &code);
        QCOMPARE(code, 3);
        // And the old entry is gone from the keychain itself.
        QProcess lookup;
        lookup.start(QStringLiteral("secret-tool"),
                     {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("user"),
                      QStringLiteral("profile/") + id});
        QVERIFY(lookup.waitForFinished(10'000));
        // secret-tool prints the attributes (with the key) on stderr, the secret on stdout.
        const QByteArray found = lookup.readAllStandardOutput() + lookup.readAllStandardError();
        QVERIFY(!found.contains(id.toUtf8()));
    }

    void oauth2Password_confidentialClient_sendsItsSecretToo()
    {
        namespace demo = emulator::demo;
        const QStringList common = {
            QStringLiteral("--preset"),    QStringLiteral("oauth2-password"),
            QStringLiteral("--url"),       m_emulator.baseUrl().toString(),
            QStringLiteral("--username"),  QLatin1String(demo::oauthUser),
            QStringLiteral("--client-id"), QLatin1String(demo::oauthClientId)};
        // Without its secret the confidential client is refused...
        QCOMPARE(m_cli
                     .run(QStringList {QStringLiteral("profile"), QStringLiteral("add"),
                                       QStringLiteral("conf without")}
                          + common)
                     .exitCode,
                 0);
        const auto refused = login(QStringLiteral("conf without"), demo::oauthPassword);
        QVERIFY2(refused.exitCode == 3, qPrintable(refused.describe()));
        QVERIFY(refused.err.contains("invalid_client"));
        // ...and with it, login and refresh work.
        QCOMPARE(m_cli
                     .run(QStringList {QStringLiteral("profile"), QStringLiteral("add"),
                                       QStringLiteral("conf with")}
                          + common + QStringList {QStringLiteral("--confidential-client")})
                     .exitCode,
                 0);
        m_used.append(QLatin1String(demo::oauthClientSecret));
        const auto accepted =
            m_cli.run({QStringLiteral("login"), QStringLiteral("conf with")},
                      QByteArray(demo::oauthPassword) + '\n' + demo::oauthClientSecret + '\n');
        QVERIFY2(accepted.exitCode == 0, qPrintable(accepted.describe()));
        const QByteArray access = token(QStringLiteral("conf with"),
                                        {QStringLiteral("--min-valid"), QStringLiteral("99999")});
        QCOMPARE(m_emulator.call("GET", QStringLiteral("/oauth/api/me"), access), 200);
        // A preset without a client cannot be made confidential.
        QCOMPARE(
            m_cli
                .run({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("x"),
                      QStringLiteral("--preset"), QStringLiteral("argus"), QStringLiteral("--url"),
                      m_emulator.baseUrl().toString(), QStringLiteral("--username"),
                      QStringLiteral("u"), QStringLiteral("--confidential-client")})
                .exitCode,
            2);
    }

    // Without an agent the access token lives in the keychain entry beside the
    // refresh token: the next run reuses it while it is valid, and a 401 from
    // the API renews it once.
    void tokensAcrossRuns_reusedWithoutAnAgent_andA401RenewsOnce()
    {
        const PresetCase c = presetCases().at(4); // OAuth 2.0 password, rotating refresh token
        QCOMPARE(c.preset, QStringLiteral("oauth2-password"));
        const QString name = addProfile(c);
        QCOMPARE(login(name, c.secret).exitCode, 0);
        const auto tokenRequests = [this] {
            return m_emulator.stat(QStringLiteral("requests"), QStringLiteral("/oauth/token"));
        };
        const int before = tokenRequests();
        const QByteArray first = token(name);
        QVERIFY(!first.isEmpty());
        QCOMPARE(token(name), first);
        QCOMPARE(tokenRequests(), before); // the login's own token, twice
        QCOMPARE(m_emulator.call("GET", c.apiPath, first), 200);

        // The server drops the token before its time: one 401, one renewal, one retry.
        m_emulator.post(QStringLiteral("/_emulator/fault"),
                        {{QStringLiteral("mode"), QStringLiteral("401")},
                         {QStringLiteral("target"), QStringLiteral("api")},
                         {QStringLiteral("count"), 1}});
        const CliResult answer = m_cli.run({QStringLiteral("request"), name, c.apiPath});
        QVERIFY2(answer.exitCode == 0, qPrintable(answer.describe()));
        QVERIFY2(answer.err.contains("renewed and the request sent again"), answer.err.constData());
        QCOMPARE(tokenRequests(), before + 1);
        const QByteArray renewed = token(name);
        QVERIFY(!renewed.isEmpty() && renewed != first);
        QCOMPARE(token(name), renewed);
        QCOMPARE(tokenRequests(), before + 1);
        QCOMPARE(m_emulator.call("GET", c.apiPath, renewed), 200);
    }

    // Alone too: a renewal refused for a passing reason while the stored token
    // is still good hands that token out, saying so; `refresh` fails.
    void token_alone_renewalFailsForAPassingReason_theStoredTokenWithAWarning()
    {
        const PresetCase c = presetCases().at(4); // OAuth 2.0 password
        setLifetime(c.server, 120);
        const QString name = addProfile(c);
        QCOMPARE(login(name, c.secret).exitCode, 0);
        const QByteArray held = token(name);
        QVERIFY(!held.isEmpty());
        m_emulator.post(QStringLiteral("/_emulator/fault"),
                        {{QStringLiteral("mode"), QStringLiteral("5xx")},
                         {QStringLiteral("target"), QStringLiteral("token")}});

        const CliResult served = m_cli.run(
            {QStringLiteral("token"), name, QStringLiteral("--min-valid"), QStringLiteral("3600")});
        QVERIFY2(served.exitCode == 0, qPrintable(served.describe()));
        QCOMPARE(served.out.trimmed(), held);
        QCOMPARE(served.err.count('\n'), 1);
        QVERIFY2(served.err.contains("still valid for"), served.err.constData());
        QCOMPARE(m_emulator.call("GET", c.apiPath, held), 200);
        QCOMPARE(m_cli.run({QStringLiteral("refresh"), name}).exitCode, 4);
    }

    // A command killed while it made its lock file leaves it empty: the next
    // one takes it over at once instead of waiting for a process that is gone.
    void emptyLockFile_leftByAKill_isTakenOverAtOnce()
    {
        const PresetCase c = presetCases().at(2); // Squidex: a client secret, no refresh token
        const QString name = addProfile(c);
        QCOMPARE(login(name, c.secret).exitCode, 0);
        const CliResult shown = m_cli.run(
            {QStringLiteral("profile"), QStringLiteral("show"), name, QStringLiteral("--json")});
        const QString id =
            QJsonDocument::fromJson(shown.out).object().value(QStringLiteral("id")).toString();
        QVERIFY(!id.isEmpty());
        const QString locks = m_cli.runtimeDir() + QStringLiteral("/tokenkeeper/locks");
        QVERIFY(QDir().mkpath(locks));
        QFile lock(locks + u'/' + id + QStringLiteral(".lock"));
        QVERIFY(lock.open(QIODevice::WriteOnly | QIODevice::Truncate)); // empty: no process named
        QVERIFY(lock.setFileTime(QDateTime::currentDateTime().addSecs(-5),
                                 QFileDevice::FileModificationTime));
        lock.close();

        QElapsedTimer timer;
        timer.start();
        int exitCode = -1;
        QVERIFY(!token(name, {}, &exitCode).isEmpty());
        QCOMPARE(exitCode, 0);
        QVERIFY2(timer.elapsed() < 10'000, qPrintable(QString::number(timer.elapsed())));
    }

    void usage_secretsAreNeverArguments()
    {
        const PresetCase c = presetCases().at(1);
        const QString name = addProfile(c);
        const auto result = m_cli.run(
            {QStringLiteral("login"), name, QStringLiteral("--password"), QStringLiteral("x")});
        QCOMPARE(result.exitCode, 2);
        QCOMPARE(m_cli.run({QStringLiteral("token")}).exitCode, 2);
        QCOMPARE(m_cli.run({QStringLiteral("frobnicate")}).exitCode, 2);
        QCOMPARE(m_cli.run({QStringLiteral("--help")}).exitCode, 0);
    }

    // Last: after everything above, no secret or token is anywhere on disk.
    void zz_noSecretOnDisk()
    {
        QStringList needles = m_used + m_seen + m_emulator.issuedTokens();
        needles.removeAll(QString());
        QVERIFY(needles.size() > 20);
        const QStringList hits = filesContaining(m_cli.rootDir(), needles);
        QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u'\n')));
        // The profiles file is there and was scanned.
        QVERIFY(QFile::exists(m_cli.configDir() + QStringLiteral("/tokenkeeper/profiles.json")));
    }
};

QTEST_GUILESS_MAIN(TestCliPresets)
#include "tst_cli_presets.moc"
