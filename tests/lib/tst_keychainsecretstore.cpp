// The real OS keychain: gnome-keyring's Secret Service in the private D-Bus
// session that `make test` starts (tests/run-in-keyring.sh).
#include "secrets/keychainsecretstore.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <csignal>

using namespace tokenkeeper;

namespace {

template<typename T> struct Answer
{
    std::optional<T> value;
    bool arrived = false;
};

Answer<Result<std::optional<QByteArray>>> readNow(SecretStore &store, const QString &key,
                                                  QObject *context)
{
    Answer<Result<std::optional<QByteArray>>> answer;
    store.read(key, context, [&answer](Result<std::optional<QByteArray>> result) {
        answer.value.emplace(std::move(result));
        answer.arrived = true;
    });
    if (!QTest::qWaitFor([&answer] { return answer.arrived; }, 20'000)) {
        answer.value.emplace(Error(Error::Kind::Keychain, QStringLiteral("test: no answer")));
    }
    return answer;
}

Result<void> writeNow(SecretStore &store, const QString &key, const QByteArray &secret,
                      QObject *context)
{
    std::optional<Result<void>> answer;
    store.write(key, secret, context, [&answer](Result<void> result) { answer.emplace(result); });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000)) {
        return Error(Error::Kind::Keychain, QStringLiteral("test: no answer"));
    }
    return *answer;
}

Result<void> removeNow(SecretStore &store, const QString &key, QObject *context)
{
    std::optional<Result<void>> answer;
    store.remove(key, context, [&answer](Result<void> result) { answer.emplace(result); });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 20'000)) {
        return Error(Error::Kind::Keychain, QStringLiteral("test: no answer"));
    }
    return *answer;
}

// The process that owns org.freedesktop.secrets on our session bus.
qint64 secretServicePid()
{
    QProcess gdbus;
    gdbus.start(QStringLiteral("gdbus"),
                {QStringLiteral("call"), QStringLiteral("--session"), QStringLiteral("--dest"),
                 QStringLiteral("org.freedesktop.DBus"), QStringLiteral("--object-path"),
                 QStringLiteral("/org/freedesktop/DBus"), QStringLiteral("--method"),
                 QStringLiteral("org.freedesktop.DBus.GetConnectionUnixProcessID"),
                 QStringLiteral("org.freedesktop.secrets")});
    if (!gdbus.waitForFinished(5000)) {
        return -1;
    }
    // "(uint32 1234,)"
    const QByteArray out = gdbus.readAllStandardOutput();
    const qsizetype start = out.indexOf("uint32 ");
    if (start < 0) {
        return -1;
    }
    return out.mid(start + 7).split(',').first().trimmed().toLongLong();
}

} // namespace

class TestKeychainSecretStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_writeReadOverwriteRemove()
    {
        KeychainSecretStore store(QStringLiteral("Tokenkeeper test"), 10'000);
        const QString key = QStringLiteral("profile/") + QUuid::createUuid().toString();
        const QByteArray secret = QByteArrayLiteral("{\"refresh_token\":\"r\xc3\xa9-1\"}");

        QVERIFY(writeNow(store, key, secret, this));
        auto read = readNow(store, key, this);
        QVERIFY2(read.value->ok(),
                 read.value->ok() ? "" : qPrintable(read.value->error().message()));
        QVERIFY(read.value->value().has_value());
        QVERIFY(*read.value->value() == secret);

        QVERIFY(writeNow(store, key, QByteArrayLiteral("second"), this));
        read = readNow(store, key, this);
        QVERIFY(*read.value->value() == QByteArrayLiteral("second"));

        QVERIFY(removeNow(store, key, this));
        read = readNow(store, key, this);
        QVERIFY(read.value->ok());
        QVERIFY(!read.value->value().has_value()); // absent is an answer, not an error
    }

    void read_absentKey_isNotAnError()
    {
        KeychainSecretStore store(QStringLiteral("Tokenkeeper test"), 10'000);
        const auto read = readNow(store, QStringLiteral("never-written"), this);
        QVERIFY(read.value->ok());
        QVERIFY(!read.value->value().has_value());
        QVERIFY(removeNow(store, QStringLiteral("never-written"), this));
    }

    void keysAreSeparate()
    {
        KeychainSecretStore store(QStringLiteral("Tokenkeeper test"), 10'000);
        QVERIFY(writeNow(store, QStringLiteral("a"), QByteArrayLiteral("1"), this));
        QVERIFY(writeNow(store, QStringLiteral("b"), QByteArrayLiteral("2"), this));
        QVERIFY(*readNow(store, QStringLiteral("a"), this).value->value() == "1");
        QVERIFY(removeNow(store, QStringLiteral("a"), this));
        QVERIFY(*readNow(store, QStringLiteral("b"), this).value->value() == "2");
        QVERIFY(removeNow(store, QStringLiteral("b"), this));
    }

    void cli_noSecretService_exits5Quickly()
    {
        test::Cli cli;
        QVERIFY(cli.run({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("s"),
                         QStringLiteral("--preset"), QStringLiteral("squirro"),
                         QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:1")})
                    .exitCode
                == 0);
        cli.environment().insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
                                 QStringLiteral("unix:path=/nonexistent/tokenkeeper-bus"));
        cli.environment().remove(QStringLiteral("DISPLAY"));
        QElapsedTimer timer;
        timer.start();
        const auto result = cli.run({QStringLiteral("token"), QStringLiteral("s")});
        QVERIFY2(result.exitCode == 5, qPrintable(result.describe()));
        QVERIFY2(result.err.contains("keychain"), result.err.constData());
        // Quick means well before the keychain timeout (8 s in tests): no hang.
        QVERIFY2(timer.elapsed() < 6000, qPrintable(QString::number(timer.elapsed())));

        // One message a person can act on; the engine's log lines only on request.
        QCOMPARE(result.err.count("tokenkeeper"), 1);
        cli.environment().insert(QStringLiteral("TOKENKEEPER_DEBUG"), QStringLiteral("1"));
        const auto told = cli.run({QStringLiteral("token"), QStringLiteral("s")});
        QVERIFY2(told.exitCode == 5, qPrintable(told.describe()));
        QVERIFY2(told.err.contains("tokenkeeper.secrets"), told.err.constData());
    }

    void cli_hungSecretService_timesOutWithExit5()
    {
        const qint64 pid = secretServicePid();
        QVERIFY2(pid > 0, "no org.freedesktop.secrets on the session bus");
        test::Cli cli;
        QVERIFY(cli.run({QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("s"),
                         QStringLiteral("--preset"), QStringLiteral("squirro"),
                         QStringLiteral("--url"), QStringLiteral("http://127.0.0.1:1")})
                    .exitCode
                == 0);
        cli.environment().insert(QStringLiteral("TOKENKEEPER_KEYCHAIN_TIMEOUT_MS"),
                                 QStringLiteral("1500"));
        // Freeze the keyring daemon: it accepts the call and never answers.
        QCOMPARE(::kill(pid_t(pid), SIGSTOP), 0);
        const auto result = cli.run({QStringLiteral("token"), QStringLiteral("s")}, {}, 20'000);
        ::kill(pid_t(pid), SIGCONT);
        QVERIFY2(result.exitCode == 5, qPrintable(result.describe()));
        QVERIFY2(result.err.contains("did not answer"), result.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestKeychainSecretStore)
#include "tst_keychainsecretstore.moc"
