// `tokenkeeper lock` end to end: a real `tokenkeeper agent` process, the
// command line asking it, the OAuth 2 emulator on 127.0.0.1, the real
// keychain (changed behind the agent's back with secret-tool).
#include "presetcases.h"
#include "testsupport.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QDBusObjectPath>
#include <QDBusVariant>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QTest>
#include <QThread>

#include <csignal>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

namespace {

// The Secret Service's secret struct (o session, ay parameters, ay value, s content type).
struct ServiceSecret
{
    QDBusObjectPath session;
    QByteArray parameters;
    QByteArray value;
    QString contentType;
};

QDBusArgument &operator<<(QDBusArgument &argument, const ServiceSecret &secret)
{
    argument.beginStructure();
    argument << secret.session << secret.parameters << secret.value << secret.contentType;
    argument.endStructure();
    return argument;
}

const QDBusArgument &operator>>(const QDBusArgument &argument, ServiceSecret &secret)
{
    argument.beginStructure();
    argument >> secret.session >> secret.parameters >> secret.value >> secret.contentType;
    argument.endStructure();
    return argument;
}

} // namespace

Q_DECLARE_METATYPE(ServiceSecret)

namespace {

const QString secretsService = QStringLiteral("org.freedesktop.secrets");
const QString secretsPath = QStringLiteral("/org/freedesktop/secrets");
const QString loginCollection = QStringLiteral("/org/freedesktop/secrets/collection/login");

QDBusMessage callSecrets(const QString &path, const QString &interface, const QString &method,
                         const QList<QVariant> &arguments)
{
    QDBusMessage message = QDBusMessage::createMethodCall(secretsService, path, interface, method);
    message.setArguments(arguments);
    return QDBusConnection::sessionBus().call(message, QDBus::Block, 5000);
}

bool keyringLocked()
{
    const QDBusMessage reply = callSecrets(
        loginCollection, QStringLiteral("org.freedesktop.DBus.Properties"), QStringLiteral("Get"),
        {QStringLiteral("org.freedesktop.Secret.Collection"), QStringLiteral("Locked")});
    return !reply.arguments().isEmpty()
        && reply.arguments().first().value<QDBusVariant>().variant().toBool();
}

// Locks the test's keyring (tests/run-in-keyring.sh), or unlocks it with its
// throwaway password (gnome-keyring's own call: no prompt); whether it now is.
bool setKeyringLocked(bool locked)
{
    if (locked) {
        callSecrets(
            secretsPath, QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("Lock"),
            {QVariant::fromValue(QList<QDBusObjectPath> {QDBusObjectPath(loginCollection)})});
        return keyringLocked();
    }
    qDBusRegisterMetaType<ServiceSecret>();
    const QDBusMessage session =
        callSecrets(secretsPath, QStringLiteral("org.freedesktop.Secret.Service"),
                    QStringLiteral("OpenSession"),
                    {QStringLiteral("plain"), QVariant::fromValue(QDBusVariant(QString()))});
    if (session.arguments().size() < 2) {
        return false;
    }
    const ServiceSecret secret {session.arguments().at(1).value<QDBusObjectPath>(),
                                {},
                                QByteArrayLiteral("tokenkeeper-test-keyring"),
                                QStringLiteral("text/plain")};
    callSecrets(
        secretsPath, QStringLiteral("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface"),
        QStringLiteral("UnlockWithMasterPassword"),
        {QVariant::fromValue(QDBusObjectPath(loginCollection)), QVariant::fromValue(secret)});
    return !keyringLocked();
}

} // namespace

class TestCliLock final : public QObject
{
    Q_OBJECT

    Emulator m_emulator;
    std::unique_ptr<Cli> m_cli;
    std::unique_ptr<QProcess> m_agent;
    const QString m_name = QStringLiteral("lock oauth2");

    QString socketPath() const
    {
        return m_cli->runtimeDir() + QStringLiteral("/tokenkeeper/agent.sock");
    }

    bool startAgent()
    {
        m_agent = std::make_unique<QProcess>();
        m_agent->setProcessEnvironment(m_cli->environment());
        m_agent->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_agent->start(cliPath(), {QStringLiteral("agent")});
        if (!m_agent->waitForStarted(5000)) {
            return false;
        }
        const QDeadlineTimer deadline(10'000);
        while (!deadline.hasExpired() && !QFile::exists(socketPath())) {
            QThread::msleep(20);
        }
        return QFile::exists(socketPath());
    }

    void useLifetime(int seconds)
    {
        m_emulator.post(
            QStringLiteral("/_emulator/config"),
            {{QStringLiteral("lifetimes"), QJsonObject {{QStringLiteral("oauth2"), seconds}}}});
    }

    // Adds the profile and logs in without an agent: the keychain holds it.
    void addAndLogIn()
    {
        const PresetCase c = presetCase(QStringLiteral("oauth2-password"));
        QCOMPARE(m_cli
                     ->run(QStringList {QStringLiteral("profile"), QStringLiteral("add"), m_name,
                                        QStringLiteral("--preset"), c.preset,
                                        QStringLiteral("--url"), m_emulator.baseUrl().toString()}
                           + c.addArgs)
                     .exitCode,
                 0);
        const auto login = m_cli->run({QStringLiteral("login"), m_name}, c.secret + '\n');
        QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));
    }

    QString profileId()
    {
        const auto shown = m_cli->run(
            {QStringLiteral("profile"), QStringLiteral("show"), m_name, QStringLiteral("--json")});
        return QJsonDocument::fromJson(shown.out).object().value(QStringLiteral("id")).toString();
    }

    int refreshes()
    {
        return m_emulator.stat(QStringLiteral("refreshes"), QStringLiteral("oauth2"));
    }

    CliResult token() { return m_cli->run({QStringLiteral("token"), m_name}); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_emulator.start()); }

    void init()
    {
        m_emulator.post(QStringLiteral("/_emulator/reset"));
        m_cli = std::make_unique<Cli>();
        m_cli->environment().insert(QStringLiteral("TOKENKEEPER_HTTP_TIMEOUT_MS"),
                                    QStringLiteral("2000"));
    }

    void cleanup()
    {
        if (m_agent && m_agent->state() != QProcess::NotRunning) {
            ::kill(pid_t(m_agent->processId()), SIGTERM);
            if (!m_agent->waitForFinished(5000)) {
                m_agent->kill();
                m_agent->waitForFinished(2000);
            }
        }
        m_agent.reset();
    }

    void lock_withoutAgent_saysThereIsNothingInMemory()
    {
        const auto locked = m_cli->run({QStringLiteral("lock")});
        QVERIFY2(locked.exitCode == 0, qPrintable(locked.describe()));
        QVERIFY2(locked.out.contains("No agent runs"), locked.out.constData());
        QVERIFY(locked.out.contains("nothing to lock"));
        QCOMPARE(m_cli->run({QStringLiteral("lock"), QStringLiteral("extra")}).exitCode, 2);
    }

    // Without a lock the agent serves the token it holds although the
    // keychain entry is gone; after `lock` it reads the keychain again.
    void lock_keychainEntryDeletedBehindTheAgentsBack_theNextTokenNeedsALogin()
    {
        useLifetime(3600);
        addAndLogIn();
        const QString id = profileId();
        QVERIFY(startAgent());
        const auto first = token();
        QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));

        QVERIFY(removeFromKeychain(id));

        const auto fromMemory = token();
        QVERIFY2(fromMemory.exitCode == 0, qPrintable(fromMemory.describe()));
        QCOMPARE(fromMemory.out, first.out);

        const auto locked = m_cli->run({QStringLiteral("lock")});
        QVERIFY2(locked.exitCode == 0, qPrintable(locked.describe()));
        QVERIFY2(locked.out.contains("Locked: the secrets and tokens of 1 profile were dropped"),
                 locked.out.constData());
        QVERIFY(!locked.out.contains(first.out.trimmed()));
        const auto status = m_cli->run({QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY(
            QJsonDocument::fromJson(status.out).object().value(QStringLiteral("locked")).toBool());

        const auto afterLock = token();
        QCOMPARE(afterLock.exitCode, 3);
        QVERIFY2(afterLock.err.contains("nothing is stored in the keychain"),
                 afterLock.err.constData());
        QVERIFY(afterLock.out.isEmpty());
    }

    // The keyring's own lock counts: locked, with no way to show its prompt
    // (no display here), the agent still serves the token in memory; after
    // `lock` the next `token` reads the keychain and says the keyring is
    // locked (not "not logged in").
    void lock_keyringLockedAndNotUnlocked_theNextTokenSaysSo()
    {
        useLifetime(3600);
        addAndLogIn();
        QVERIFY(startAgent());
        const auto first = token();
        QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
        QVERIFY(setKeyringLocked(true));
        const auto unlockAgain = qScopeGuard([] { QVERIFY(setKeyringLocked(false)); });

        const auto fromMemory = token();
        QVERIFY2(fromMemory.exitCode == 0, qPrintable(fromMemory.describe()));
        QCOMPARE(m_cli->run({QStringLiteral("lock")}).exitCode, 0);
        const auto afterLock = token();
        QCOMPARE(afterLock.exitCode, 5);
        QVERIFY2(afterLock.err.contains("The keyring is locked and was not unlocked"),
                 afterLock.err.constData());
        QVERIFY(afterLock.out.isEmpty());

        // Unlocked, the next use reads it and the lock ends.
        QVERIFY(setKeyringLocked(false));
        const auto unlocked = token();
        QVERIFY2(unlocked.exitCode == 0, qPrintable(unlocked.describe()));
        QCOMPARE(unlocked.out, first.out);
    }

    // Locked, the agent renews nothing in the background (the emulator's
    // ledger counts the refreshes); the next `token` reads the keychain,
    // renews, and the background renewals go on from there.
    void lock_noBackgroundRenewalUntilTheNextUse()
    {
        useLifetime(3);
        addAndLogIn();
        QVERIFY(startAgent());
        // Renewing ahead of a 3-second lifetime: the agent does it unasked.
        QTRY_VERIFY_WITH_TIMEOUT(refreshes() >= 1, 10'000);

        const auto locked = m_cli->run({QStringLiteral("lock")});
        QVERIFY2(locked.exitCode == 0, qPrintable(locked.describe()));
        QThread::msleep(500); // a renewal under way when it locked finishes
        const int whenLocked = refreshes();
        QThread::msleep(4500); // longer than the lifetime: twice due
        QCOMPARE(refreshes(), whenLocked);

        const auto used = token();
        QVERIFY2(used.exitCode == 0, qPrintable(used.describe()));
        QCOMPARE(refreshes(), whenLocked + 1); // expired: renewed for this use
        const auto status = m_cli->run({QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY(
            !QJsonDocument::fromJson(status.out).object().value(QStringLiteral("locked")).toBool());
        QTRY_VERIFY_WITH_TIMEOUT(refreshes() > whenLocked + 1, 8000);
    }
};

QTEST_GUILESS_MAIN(TestCliLock)
#include "tst_cli_lock.moc"
