// SIGINT and SIGTERM to the short commands, working alone (no agent): a
// rotation under way is stored before the command ends; a prompt gives the
// terminal back as it was (a real pseudo-terminal).
#include "presetcases.h"
#include "testsupport.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

namespace {

const QString sensu = QStringLiteral("signals sensu");

// A pseudo-terminal: the command line's stdin, stdout and stderr on its
// slave side, what it prints read from the master side.
class PseudoTerminal final
{
public:
    PseudoTerminal()
    {
        if (::openpty(&m_master, &m_slave, nullptr, nullptr, nullptr) == 0) {
            m_slavePath = QString::fromLocal8Bit(::ttyname(m_slave));
        }
    }
    ~PseudoTerminal()
    {
        for (const int fd : {m_master, m_slave}) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
    }
    Q_DISABLE_COPY_MOVE(PseudoTerminal)

    bool isOpen() const { return !m_slavePath.isEmpty(); }
    void attach(QProcess &process) const
    {
        process.setStandardInputFile(m_slavePath);
        process.setStandardOutputFile(m_slavePath);
        process.setStandardErrorFile(m_slavePath);
    }
    bool echoes() const
    {
        termios settings {};
        return ::tcgetattr(m_slave, &settings) == 0 && (settings.c_lflag & ECHO) != 0;
    }
    // What the other side printed so far.
    QByteArray drain()
    {
        char buffer[4096];
        pollfd fd {m_master, POLLIN, 0};
        while (::poll(&fd, 1, 0) > 0 && (fd.revents & POLLIN) != 0) {
            const ssize_t got = ::read(m_master, buffer, sizeof buffer);
            if (got <= 0) {
                break;
            }
            m_seen.append(buffer, got);
        }
        return m_seen;
    }

private:
    int m_master = -1;
    int m_slave = -1;
    QString m_slavePath;
    QByteArray m_seen;
};

} // namespace

class TestCliSignals final : public QObject
{
    Q_OBJECT

    Emulator m_emulator;
    std::unique_ptr<Cli> m_cli;

    int reuseDetected()
    {
        const QJsonObject reuse = m_emulator.get(QStringLiteral("/_emulator/stats"))
                                      .value(QStringLiteral("reuseDetected"))
                                      .toObject();
        return reuse.value(QStringLiteral("sensu")).toInt();
    }

    static int exitCodeOf(const QProcess &process)
    {
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_emulator.start()); }

    void init()
    {
        m_emulator.post(QStringLiteral("/_emulator/reset"));
        m_emulator.post(
            QStringLiteral("/_emulator/config"),
            {{QStringLiteral("lifetimes"), QJsonObject {{QStringLiteral("sensu"), 600}}}});
        m_cli = std::make_unique<Cli>();
        // Longer than the late answer below: the command waits for it.
        m_cli->environment().insert(QStringLiteral("TOKENKEEPER_HTTP_TIMEOUT_MS"),
                                    QStringLiteral("8000"));
        QCOMPARE(
            m_cli
                ->run({QStringLiteral("profile"), QStringLiteral("add"), sensu,
                       QStringLiteral("--preset"), QStringLiteral("sensu"), QStringLiteral("--url"),
                       m_emulator.baseUrl().toString(), QStringLiteral("--username"),
                       QString::fromLatin1(emulator::demo::sensuUser)})
                .exitCode,
            0);
        const auto login = m_cli->run({QStringLiteral("login"), sensu},
                                      QByteArray(emulator::demo::sensuPassword) + '\n');
        QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));
    }

    void cleanup()
    {
        m_emulator.post(QStringLiteral("/_emulator/fault"),
                        {{QStringLiteral("mode"), QStringLiteral("none")}});
    }

    // Sensu rotates the refresh token at once and answers 3 s later: a SIGINT
    // meanwhile waits for the answer, stores the rotation, then exits 130
    // without printing the token (it used to die with the rotation unsaved,
    // and the next refresh reused a spent token: the session was killed).
    void sigint_toTokenDuringARotatingRefreshAnsweredLate_theRotationIsSaved()
    {
        const auto refreshes = [this] {
            return m_emulator.stat(QStringLiteral("refreshes"), QStringLiteral("sensu"));
        };
        const int before = refreshes();
        m_emulator.post(QStringLiteral("/_emulator/fault"),
                        {{QStringLiteral("mode"), QStringLiteral("late")},
                         {QStringLiteral("target"), QStringLiteral("token")},
                         {QStringLiteral("count"), 1},
                         {QStringLiteral("delayMs"), 3000}});
        QProcess token;
        token.setProcessEnvironment(m_cli->environment());
        // More than the token's 600 s: it must renew.
        token.start(cliPath(),
                    {QStringLiteral("token"), sensu, QStringLiteral("--min-valid"),
                     QStringLiteral("3600")});
        QVERIFY(token.waitForStarted(5000));
        QTRY_COMPARE_WITH_TIMEOUT(refreshes(), before + 1, 5000); // rotated at the server

        QElapsedTimer waited;
        waited.start();
        ::kill(pid_t(token.processId()), SIGINT);
        QVERIFY(token.waitForFinished(10'000));
        QCOMPARE(exitCodeOf(token), 130);
        QVERIFY2(waited.elapsed() >= 1000, qPrintable(QString::number(waited.elapsed())));
        QVERIFY(token.readAllStandardOutput().isEmpty()); // interrupted: no token printed

        // The rotation was stored: the next renewal needs no login, no reuse at the server.
        const auto next = m_cli->run({QStringLiteral("token"), sensu, QStringLiteral("--min-valid"),
                                      QStringLiteral("3600")});
        QVERIFY2(next.exitCode == 0, qPrintable(next.describe()));
        QCOMPARE(reuseDetected(), 0);
        QCOMPARE(
            m_emulator.call("GET", QStringLiteral("/api/core/v2/namespaces"), next.out.trimmed()),
            200);
    }

    // Nothing under way (the command waits for a secret on a pipe): SIGTERM
    // ends it at once with 143.
    void sigterm_whileWaitingForASecretOnAPipe_endsAtOnceWith143()
    {
        QProcess login;
        login.setProcessEnvironment(m_cli->environment());
        login.start(cliPath(), {QStringLiteral("login"), sensu});
        QVERIFY(login.waitForStarted(5000));
        QThread::msleep(300); // it reads standard input, which stays open
        QVERIFY(login.state() == QProcess::Running);
        QElapsedTimer ended;
        ended.start();
        ::kill(pid_t(login.processId()), SIGTERM);
        QVERIFY(login.waitForFinished(5000));
        QCOMPARE(exitCodeOf(login), 143);
        QVERIFY2(ended.elapsed() < 2000, qPrintable(QString::number(ended.elapsed())));
        QVERIFY(login.readAllStandardOutput().isEmpty());
        // The earlier login stands.
        QCOMPARE(m_cli->run({QStringLiteral("token"), sensu}).exitCode, 0);
    }

    // At the password prompt of a real terminal, echo is off; a SIGINT gives
    // it back and exits 130 (it used to die with echo off).
    void sigint_atAPasswordPrompt_restoresEchoAndExits130()
    {
        PseudoTerminal terminal;
        if (!terminal.isOpen()) {
            QSKIP("no pseudo-terminal can be opened here (/dev/pts)");
        }
        QVERIFY(terminal.echoes());
        QProcess login;
        login.setProcessEnvironment(m_cli->environment());
        terminal.attach(login);
        login.start(cliPath(), {QStringLiteral("login"), sensu});
        QVERIFY(login.waitForStarted(5000));
        QTRY_VERIFY_WITH_TIMEOUT(terminal.drain().contains("Password for"), 10'000);
        QTRY_VERIFY_WITH_TIMEOUT(!terminal.echoes(), 5000);

        ::kill(pid_t(login.processId()), SIGINT);
        QVERIFY(login.waitForFinished(5000));
        QCOMPARE(exitCodeOf(login), 130);
        QVERIFY(terminal.echoes());
        QVERIFY(!terminal.drain().contains("Logged in"));
    }
};

QTEST_GUILESS_MAIN(TestCliSignals)
#include "tst_cli_signals.moc"
