// The agent's socket under clients that misbehave (issue 11): too many of
// them, idle ones, one that asks and never reads, a line that never ends; and
// a status too long for one line (1,000 logged-in profiles). A real
// `tokenkeeper agent` process, raw clients over its real socket, the
// emulators on 127.0.0.1, the real keychain.
#include "democredentials.h"
#include "testsupport.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>
#include <QThread>
#include <QUuid>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

namespace {

constexpr int lineLimit = 64 * 1024; // agentprotocol::maxLineBytes

// A raw client: a connected, non-blocking AF_UNIX socket.
class RawClient final
{
public:
    explicit RawClient(const QString &path)
    {
        const QByteArray name = QFile::encodeName(path);
        m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0); // connect waits for the backlog
        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path, name.constData(),
                    std::min<size_t>(size_t(name.size()), sizeof address.sun_path - 1));
        if (m_fd >= 0
            && ::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
        if (m_fd >= 0) {
            ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
        }
    }
    ~RawClient() { close(); }
    Q_DISABLE_COPY_MOVE(RawClient)

    bool connected() const { return m_fd >= 0; }
    void close()
    {
        if (m_fd >= 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }

    // Writes what it can within `timeoutMs`; returns how much was taken.
    qint64 send(const QByteArray &data, int timeoutMs)
    {
        qint64 sent = 0;
        const QDeadlineTimer deadline(timeoutMs);
        while (sent < data.size() && !deadline.hasExpired()) {
            pollfd writable {m_fd, POLLOUT, 0};
            if (::poll(&writable, 1, int(deadline.remainingTime())) != 1) {
                break;
            }
            const ssize_t n =
                ::send(m_fd, data.constData() + sent, size_t(data.size() - sent), MSG_NOSIGNAL);
            if (n <= 0) {
                break;
            }
            sent += n;
        }
        return sent;
    }

    // The next line, without its newline; empty when none came in time or
    // the agent closed (closedByAgent() says which).
    QByteArray readLine(int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (true) {
            if (const qsizetype end = m_buffer.indexOf('\n'); end >= 0) {
                const QByteArray line = m_buffer.left(end);
                m_buffer.remove(0, end + 1);
                return line;
            }
            if (m_eof || deadline.hasExpired() || !fill(int(deadline.remainingTime()))) {
                return {};
            }
        }
    }

    // Whether the agent closes this connection within `timeoutMs` (what it
    // had written before is read and dropped).
    bool closedByAgent(int timeoutMs)
    {
        const QDeadlineTimer deadline(timeoutMs);
        while (!m_eof && !deadline.hasExpired()) {
            m_buffer.clear();
            fill(int(deadline.remainingTime()));
        }
        return m_eof;
    }

private:
    bool fill(int timeoutMs)
    {
        pollfd readable {m_fd, POLLIN, 0};
        if (::poll(&readable, 1, qMax(0, timeoutMs)) != 1) {
            return false;
        }
        char chunk[65536];
        const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
        if (n <= 0) {
            if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                m_eof = true;
            }
            return n > 0;
        }
        m_buffer.append(chunk, n);
        return true;
    }

    int m_fd = -1;
    QByteArray m_buffer;
    bool m_eof = false;
};

qint64 residentKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:")) {
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
        }
    }
    return -1;
}

QByteArray request(int id, const QJsonObject &fields)
{
    QJsonObject line = fields;
    line.insert(QStringLiteral("id"), id);
    return QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

class TestAgentLimits final : public QObject
{
    Q_OBJECT

    Emulator m_emulator;
    std::unique_ptr<Cli> m_cli;
    std::unique_ptr<QProcess> m_agent;
    QByteArray m_agentLog;
    const QString m_profile = QStringLiteral("limits squirro");

    QString socketPath() const
    {
        return m_cli->runtimeDir() + QStringLiteral("/tokenkeeper/agent.sock");
    }

    bool startAgent(int idleTimeoutMs)
    {
        QProcessEnvironment env = m_cli->environment();
        env.insert(QStringLiteral("TOKENKEEPER_AGENT_IDLE_TIMEOUT_MS"),
                   QString::number(idleTimeoutMs));
        m_agent = std::make_unique<QProcess>();
        m_agent->setProcessEnvironment(env);
        m_agent->setReadChannel(QProcess::StandardError); // its log
        m_agent->start(cliPath(), {QStringLiteral("agent")});
        if (!m_agent->waitForStarted(5000)) {
            return false;
        }
        const QDeadlineTimer deadline(30'000);
        while (!deadline.hasExpired() && !QFile::exists(socketPath())) {
            QThread::msleep(20);
        }
        return QFile::exists(socketPath());
    }

    // Whether the agent's log says `words` within a few seconds.
    bool agentLogged(const QByteArray &words)
    {
        const QDeadlineTimer deadline(5000);
        while (!m_agentLog.contains(words) && !deadline.hasExpired()) {
            m_agent->waitForReadyRead(100);
            m_agentLog += m_agent->readAllStandardError();
        }
        if (!m_agentLog.contains(words)) {
            qWarning("the agent's log so far:\n%s", m_agentLog.constData());
        }
        return m_agentLog.contains(words);
    }

    void addSquirro(const QString &name)
    {
        const auto added = m_cli->run(
            {QStringLiteral("profile"), QStringLiteral("add"), name, QStringLiteral("--preset"),
             QStringLiteral("squirro"), QStringLiteral("--url"), m_emulator.baseUrl().toString(),
             QStringLiteral("--param"), QStringLiteral("tenant=squirro_demo")});
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_emulator.start()); }

    void init()
    {
        m_emulator.post(QStringLiteral("/_emulator/reset"));
        m_cli = std::make_unique<Cli>();
        m_agentLog.clear();
    }

    void cleanup()
    {
        if (m_agent && m_agent->state() != QProcess::NotRunning) {
            m_agent->terminate();
            if (!m_agent->waitForFinished(10'000)) {
                m_agent->kill();
                m_agent->waitForFinished(2000);
            }
        }
        m_agent.reset();
    }

    void connections_overTheCap_refusedWhileTheEarlierOnesStillWork()
    {
        QVERIFY(startAgent(30'000));
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < 64; ++i) {
            clients.push_back(std::make_unique<RawClient>(socketPath()));
            QVERIFY(clients.back()->connected());
        }
        // The 65th: one line saying why, then closed.
        RawClient over(socketPath());
        QVERIFY(over.connected());
        const QJsonObject refusal = QJsonDocument::fromJson(over.readLine(5000)).object();
        QCOMPARE(refusal.value(QStringLiteral("ok")).toBool(true), false);
        QVERIFY2(refusal.value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString()
                     .contains(QStringLiteral("64 connections")),
                 QJsonDocument(refusal).toJson().constData());
        QVERIFY(over.closedByAgent(5000));
        // So is the command line, with a message it can act on.
        const auto refused = m_cli->run({QStringLiteral("status")});
        QCOMPARE(refused.exitCode, 4);
        QVERIFY2(refused.err.contains("64 connections"), qPrintable(refused.describe()));

        // The earlier ones are still served, the first and the last.
        for (const int i : {0, 63}) {
            QVERIFY(clients.at(i)->send(
                        request(i, {{QStringLiteral("cmd"), QStringLiteral("list")}}), 5000)
                    > 0);
            const QJsonObject answer =
                QJsonDocument::fromJson(clients.at(i)->readLine(5000)).object();
            QVERIFY2(answer.value(QStringLiteral("ok")).toBool(),
                     QJsonDocument(answer).toJson().constData());
            QCOMPARE(answer.value(QStringLiteral("id")).toInt(), i);
        }
        // One gone, there is room again.
        clients.front()->close();
        QTRY_COMPARE_WITH_TIMEOUT(m_cli->run({QStringLiteral("status")}).exitCode, 0, 5000);
        QVERIFY(agentLogged("64 connections are open already"));
    }

    void idleConnection_closedAfterTheIdleLimit_aBusyOneIsNot()
    {
        QVERIFY(startAgent(1500));
        RawClient idle(socketPath());
        RawClient unfinished(socketPath()); // half a line, never ended
        RawClient busy(socketPath());
        QVERIFY(idle.connected() && unfinished.connected() && busy.connected());
        QVERIFY(unfinished.send("{\"id\":1,\"cmd\":", 1000) > 0);
        QElapsedTimer clock;
        clock.start();
        // The busy one asks every 500 ms for 3 s: twice the limit, still served.
        for (int i = 0; i < 6; ++i) {
            QVERIFY(busy.send(request(i, {{QStringLiteral("cmd"), QStringLiteral("list")}}), 1000)
                    > 0);
            QVERIFY(QJsonDocument::fromJson(busy.readLine(2000))
                        .object()
                        .value(QStringLiteral("ok"))
                        .toBool());
            QThread::msleep(500);
        }
        QVERIFY(idle.closedByAgent(3000));
        QVERIFY(unfinished.closedByAgent(3000));
        QVERIFY(busy.send(request(9, {{QStringLiteral("cmd"), QStringLiteral("list")}}), 1000) > 0);
        QVERIFY(!busy.readLine(2000).isEmpty());
        QVERIFY(agentLogged("it asked nothing for 1 s"));
    }

    void idleConnection_notClosedBeforeTheIdleLimit()
    {
        QVERIFY(startAgent(3000));
        RawClient idle(socketPath());
        QVERIFY(idle.connected());
        QElapsedTimer clock;
        clock.start();
        QVERIFY(idle.closedByAgent(10'000));
        QVERIFY2(clock.elapsed() >= 2800 && clock.elapsed() < 6000,
                 qPrintable(QString::number(clock.elapsed())));
    }

    void requestLineThatNeverEnds_closed()
    {
        QVERIFY(startAgent(30'000));
        RawClient endless(socketPath());
        QVERIFY(endless.connected());
        endless.send(QByteArray(lineLimit + 4096, 'x'), 5000);
        QVERIFY(endless.closedByAgent(5000));
        QVERIFY(agentLogged("a line longer than 65536 bytes"));
        QCOMPARE(m_cli->run({QStringLiteral("status")}).exitCode, 0);
    }

    // Many requests sent before the first answer is read: every one is
    // answered, in order (the agent stops reading and starts again).
    void pipeliningClientThatReads_getsEveryAnswer()
    {
        QVERIFY(startAgent(30'000));
        RawClient client(socketPath());
        QVERIFY(client.connected());
        QByteArray requests;
        const int count = 5000;
        for (int i = 0; i < count; ++i) {
            requests += request(i, {{QStringLiteral("cmd"), QStringLiteral("status")}});
        }
        qint64 sent = 0;
        int answered = 0;
        QDeadlineTimer deadline(30'000);
        while (answered < count && !deadline.hasExpired()) {
            if (sent < requests.size()) {
                sent += client.send(requests.mid(sent, 4096), 10);
            }
            while (answered < count) {
                const QByteArray line = client.readLine(sent < requests.size() ? 0 : 1000);
                if (line.isEmpty()) {
                    break;
                }
                QCOMPARE(QJsonDocument::fromJson(line).object().value(QStringLiteral("id")).toInt(),
                         answered);
                ++answered;
            }
        }
        QCOMPARE(answered, count);
    }

    void clientThatAsksAndNeverReads_agentStaysSmall_andOthersAreAnswered()
    {
        addSquirro(m_profile);
        const auto login = m_cli->run({QStringLiteral("login"), m_profile},
                                      QByteArray(emulator::demo::squirroUserToken) + '\n');
        QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));
        QVERIFY(startAgent(3000));
        // Served once, so the token is in the agent's memory.
        QCOMPARE(m_cli->run({QStringLiteral("token"), m_profile}).exitCode, 0);
        QThread::msleep(300);
        const qint64 before = residentKiB(m_agent->processId());
        QVERIFY(before > 0);

        // 40 MiB of `token` requests (each answer some 300 bytes, over
        // 600,000 of them) at a client that reads nothing.
        RawClient greedy(socketPath());
        QVERIFY(greedy.connected());
        const QByteArray one = request(7,
                                       {{QStringLiteral("cmd"), QStringLiteral("token")},
                                        {QStringLiteral("profile"), m_profile}});
        QByteArray chunk;
        while (chunk.size() < 256 * 1024) {
            chunk += one;
        }
        qint64 sent = 0;
        qint64 peak = before;
        QElapsedTimer clock;
        clock.start();
        // Until the agent takes nothing for 200 ms (it stopped reading: our
        // writes block), not merely less (a slow agent, under ASan, still reads).
        while (sent < 40 * 1024 * 1024 && clock.elapsed() < 10'000) {
            const qint64 taken = greedy.send(chunk, 200);
            sent += taken;
            peak = qMax(peak, residentKiB(m_agent->processId()));
            if (taken == 0) {
                break;
            }
        }
        QThread::msleep(500);
        peak = qMax(peak, residentKiB(m_agent->processId()));
        qInfo("sent %lld KiB of requests; agent RSS %lld KiB before, %lld KiB at most", sent / 1024,
              before, peak);
        // It stopped reading after about a MiB of answers: far less than the
        // 40 MiB were taken, and the agent did not grow by more than a few MiB.
        QVERIFY2(sent < 8 * 1024 * 1024, qPrintable(QString::number(sent)));
#ifndef TOKENKEEPER_SANITIZED
        // (Not under ASan: its allocator keeps freed memory in quarantine,
        // so resident size says nothing of what the agent holds.)
        QVERIFY2(peak - before < 8 * 1024, qPrintable(QString::number(peak - before)));
#endif

        // Meanwhile everybody else is served.
        const auto other = m_cli->run({QStringLiteral("token"), m_profile});
        QVERIFY2(other.exitCode == 0, qPrintable(other.describe()));
        // And after the idle limit without reading, the greedy one is closed.
        QVERIFY(agentLogged("is not reading its answers"));
        QVERIFY(agentLogged("it read none of its answers for 3 s"));
        QVERIFY(greedy.closedByAgent(5000));
        QVERIFY(!m_agentLog.contains(emulator::demo::squirroUserToken));
    }

    // `status` with 1,000 logged-in profiles: the answer, some 300 KiB, comes
    // in parts, each a line within the limit, and the command line joins them.
    void status_with1000LoggedInProfiles_answersThroughTheAgent()
    {
        const int count = 1000;
        addSquirro(QStringLiteral("bulk 0000"));
        // The other 999 as copies of the first in the profiles file (as the
        // command line wrote it), each with an id of its own.
        const QString path = m_cli->configDir() + QStringLiteral("/tokenkeeper/profiles.json");
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        const QJsonObject first =
            root.value(QStringLiteral("profiles")).toArray().first().toObject();
        QJsonArray profiles;
        for (int i = 0; i < count; ++i) {
            QJsonObject copy = first;
            copy.insert(QStringLiteral("name"),
                        QStringLiteral("bulk %1").arg(i, 4, 10, QLatin1Char('0')));
            if (i > 0) {
                copy.insert(QStringLiteral("id"),
                            QUuid::createUuid().toString(QUuid::WithoutBraces));
            }
            profiles.append(copy);
        }
        root.insert(QStringLiteral("profiles"), profiles);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(root).toJson());
        file.close();

        QVERIFY(startAgent(30'000));
        // Every one logged in through the agent (it stores the secrets in the
        // keychain), on one connection, the requests sent ahead of the answers.
        QElapsedTimer clock;
        clock.start();
        RawClient client(socketPath());
        QVERIFY(client.connected());
        QByteArray logins;
        for (int i = 0; i < count; ++i) {
            logins += request(i,
                              {{QStringLiteral("cmd"), QStringLiteral("login")},
                               {QStringLiteral("profile"),
                                QStringLiteral("bulk %1").arg(i, 4, 10, QLatin1Char('0'))},
                               {QStringLiteral("secret"),
                                QString::fromLatin1(emulator::demo::squirroUserToken)}});
        }
        QCOMPARE(client.send(logins, 10'000), qint64(logins.size()));
        for (int i = 0; i < count; ++i) {
            const QJsonObject answer = QJsonDocument::fromJson(client.readLine(30'000)).object();
            QVERIFY2(answer.value(QStringLiteral("ok")).toBool(),
                     qPrintable(QStringLiteral("login %1 after %2 ms: ").arg(i).arg(clock.elapsed())
                                + QString::fromUtf8(QJsonDocument(answer).toJson())));
        }
        qInfo("%d logins through the agent in %lld ms", count, clock.elapsed());

        // The raw answer: several lines, each within the limit, "more" on all but the last.
        QVERIFY(
            client.send(request(count, {{QStringLiteral("cmd"), QStringLiteral("status")}}), 5000)
            > 0);
        int lines = 0;
        int listed = 0;
        while (true) {
            const QByteArray line = client.readLine(10'000);
            QVERIFY(!line.isEmpty());
            QVERIFY2(line.size() < lineLimit, qPrintable(QString::number(line.size())));
            const QJsonObject part = QJsonDocument::fromJson(line).object();
            QCOMPARE(part.value(QStringLiteral("id")).toInt(), count);
            QVERIFY(part.value(QStringLiteral("ok")).toBool());
            ++lines;
            listed += int(part.value(QStringLiteral("profiles")).toArray().size());
            if (!part.value(QStringLiteral("more")).toBool()) {
                break;
            }
        }
        QCOMPARE(listed, count);
        QVERIFY2(lines > 1, qPrintable(QString::number(lines)));

        const auto json = m_cli->run({QStringLiteral("status"), QStringLiteral("--json")});
        QVERIFY2(json.exitCode == 0, qPrintable(json.describe()));
        const QJsonObject status = QJsonDocument::fromJson(json.out).object();
        QVERIFY(status.value(QStringLiteral("agent")).toBool());
        const QJsonArray listedProfiles = status.value(QStringLiteral("profiles")).toArray();
        QCOMPARE(listedProfiles.size(), count);
        QSet<QString> names;
        for (const QJsonValue &value : listedProfiles) {
            names.insert(value.toObject().value(QStringLiteral("name")).toString());
            QCOMPARE(value.toObject().value(QStringLiteral("state")).toString(),
                     QStringLiteral("valid"));
        }
        QCOMPARE(names.size(), count);

        const auto table = m_cli->run({QStringLiteral("status")});
        QVERIFY2(table.exitCode == 0, qPrintable(table.describe()));
        QCOMPARE(table.out.count('\n'), count + 1); // the header and one row each
        QVERIFY(table.out.contains("bulk 0000"));
        QVERIFY(table.out.contains("bulk 0999"));
        qInfo("the whole test took %lld ms since the logins began", clock.elapsed());
    }
};

QTEST_GUILESS_MAIN(TestAgentLimits)
#include "tst_agent_limits.moc"
