// Two desktop apps in one process: the second start finds the first on its
// socket, asks it to raise its window, and is told it will.
#include "instance/singleinstance.h"

#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

using namespace tokenkeeper;

namespace {

// The second start blocks on its socket, as main() does before the event
// loop; the first must go on answering meanwhile, so the second runs aside.
bool raiseFromAnotherThread(const QString &socketPath, int timeoutMs = 5000)
{
    std::atomic<bool> raised = false;
    std::unique_ptr<QThread> thread(QThread::create([&raised, socketPath, timeoutMs] {
        raised = SingleInstance(socketPath).raiseRunning(timeoutMs);
    }));
    thread->start();
    while (!thread->wait(10)) {
        QCoreApplication::processEvents();
    }
    return raised;
}

} // namespace

class TestSingleInstance final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString socketPath(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void defaultSocketPath_isBesideTheAgentsButNotIt()
    {
        const QString path = SingleInstance::defaultSocketPath();
        QVERIFY(path.endsWith(QStringLiteral("/tokenkeeper/desktop.sock")));
        QVERIFY(!path.endsWith(QStringLiteral("agent.sock")));
    }

    void raiseRunning_nobodyThere_isFalse()
    {
        const SingleInstance second(socketPath(QStringLiteral("none.sock")));
        QVERIFY(!second.raiseRunning(500));
    }

    void raiseRunning_firstListening_raisesIt()
    {
        qputenv("XDG_ACTIVATION_TOKEN", "token-42");
        const QString path = socketPath(QStringLiteral("desktop.sock"));
        SingleInstance first(path);
        QSignalSpy raised(&first, &SingleInstance::raiseRequested);
        const Result<void> listening = first.listen();
        QVERIFY2(listening.ok(), listening.ok() ? "" : qPrintable(listening.error().message()));
        QVERIFY(first.isListening());

        QVERIFY(raiseFromAnotherThread(path));
        QTRY_COMPARE(raised.count(), 1);
        QCOMPARE(raised.at(0).at(0).toString(), QStringLiteral("token-42"));

        // And again: every later start raises it.
        QVERIFY(raiseFromAnotherThread(path));
        QTRY_COMPARE(raised.count(), 2);
        qunsetenv("XDG_ACTIVATION_TOKEN");
    }

    void listen_socketLeftBehind_takesItOver()
    {
        const QString path = socketPath(QStringLiteral("stale.sock"));
        {
            // A crashed app's socket file: there, but nobody accepts.
            QFile stale(path);
            QVERIFY(stale.open(QIODevice::WriteOnly));
        }
        QVERIFY(!SingleInstance(path).raiseRunning(500));
        SingleInstance first(path);
        QVERIFY(first.listen().ok());
        QVERIFY(raiseFromAnotherThread(path));
    }

    void closed_firstGone_secondStartsAfresh()
    {
        const QString path = socketPath(QStringLiteral("gone.sock"));
        {
            SingleInstance first(path);
            QVERIFY(first.listen().ok());
        }
        QVERIFY(!QFile::exists(path));
        QVERIFY(!SingleInstance(path).raiseRunning(500));
    }

    void request_notRaise_isAnsweredNoAndNotRaised()
    {
        const QString path = socketPath(QStringLiteral("other.sock"));
        SingleInstance first(path);
        QSignalSpy raised(&first, &SingleInstance::raiseRequested);
        QVERIFY(first.listen().ok());
        QLocalSocket socket;
        socket.connectToServer(path);
        QVERIFY(socket.waitForConnected(2000));
        socket.write("{\"command\":\"quit\"}\n");
        QTRY_VERIFY(socket.canReadLine());
        QCOMPARE(socket.readLine().trimmed(), QByteArray("{\"ok\":false}"));
        QCOMPARE(raised.count(), 0);
    }

    void request_tooLong_isDropped()
    {
        const QString path = socketPath(QStringLiteral("long.sock"));
        SingleInstance first(path);
        QSignalSpy raised(&first, &SingleInstance::raiseRequested);
        QVERIFY(first.listen().ok());
        QLocalSocket socket;
        socket.connectToServer(path);
        QVERIFY(socket.waitForConnected(2000));
        socket.write(QByteArray(int(SingleInstance::maxRequestBytes) * 2, 'x'));
        QTRY_COMPARE(socket.state(), QLocalSocket::UnconnectedState);
        QCOMPARE(raised.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_singleinstance.moc"
