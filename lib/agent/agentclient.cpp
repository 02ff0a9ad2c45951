#include "agentclient.h"

#include "agentprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalSocket>
#include <QLockFile>
#include <QTimer>

#include <memory>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#endif

namespace tokenkeeper {

AgentClient::AgentClient(QString socketPath, QString lockPath, QObject *parent)
    : QObject(parent)
    , m_socketPath(socketPath.isEmpty() ? agentprotocol::socketPath() : std::move(socketPath))
    , m_lockPath(lockPath.isEmpty() ? agentprotocol::lockPath() : std::move(lockPath))
{ }

bool AgentClient::agentRuns() const
{
    // Read the lock, do not take it: two command lines probing at once must
    // not mistake each other for an agent.
    QLockFile lock(m_lockPath);
    qint64 pid = 0;
    QString host;
    QString application;
    if (!lock.getLockInfo(&pid, &host, &application) || pid <= 0) {
        return false;
    }
#ifdef Q_OS_UNIX
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
#else
    return true;
#endif
}

void AgentClient::request(QJsonObject request, int timeoutMs, Done done)
{
    auto *socket = new QLocalSocket(this);
    auto answered = std::make_shared<bool>(false);
    const auto finish = [socket, answered, done](std::optional<Result<QJsonObject>> result) {
        if (*answered) {
            return;
        }
        *answered = true;
        socket->abort();
        socket->deleteLater();
        done(std::move(result));
    };

    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, socket, [finish, timeoutMs] {
        finish(Result<QJsonObject>(
            Error(Error::Kind::Network,
                  QStringLiteral("The Tokenkeeper agent did not answer within %1 s.")
                      .arg(timeoutMs / 1000))));
    });
    deadline->start(timeoutMs);

    auto startingFor = std::make_shared<int>(0); // tries while a starting agent is not listening
    connect(socket, &QLocalSocket::errorOccurred, socket,
            [this, socket, finish, startingFor](QLocalSocket::LocalSocketError error) {
                if (error == QLocalSocket::ServerNotFoundError
                    || error == QLocalSocket::ConnectionRefusedError) {
                    // An agent takes its lock, starts its engine, then listens:
                    // one that is starting gets two seconds to begin listening.
                    if (agentRuns() && ++*startingFor <= 20) {
                        QTimer::singleShot(
                            100, socket, [this, socket] { socket->connectToServer(m_socketPath); });
                        return;
                    }
                    if (agentRuns()) {
                        finish(Result<QJsonObject>(
                            Error(Error::Kind::Network,
                                  QStringLiteral("A Tokenkeeper agent runs but its socket does not "
                                                 "answer: %1")
                                      .arg(socket->errorString()))));
                    } else {
                        finish(std::nullopt); // no agent: work alone
                    }
                    return;
                }
                if (error != QLocalSocket::PeerClosedError) {
                    finish(Result<QJsonObject>(
                        Error(Error::Kind::Network,
                              QStringLiteral("Talking to the Tokenkeeper agent failed: %1")
                                  .arg(socket->errorString()))));
                }
            });
    connect(socket, &QLocalSocket::disconnected, socket, [finish] {
        finish(Result<QJsonObject>(Error(
            Error::Kind::Network, QStringLiteral("The Tokenkeeper agent closed the connection."))));
    });
    connect(socket, &QLocalSocket::connected, socket, [socket, request] {
        QJsonObject line = request;
        line.insert(QStringLiteral("id"), 1);
        socket->write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    });
    // A long list comes in parts ("more": true on all but the last line),
    // gathered here; every line stays within maxLineBytes, the whole within
    // maxAnswerBytes.
    auto gathered = std::make_shared<QJsonArray>();
    auto gatheredBytes = std::make_shared<qint64>(0);
    connect(socket, &QLocalSocket::readyRead, socket, [socket, finish, gathered, gatheredBytes] {
        const auto tooLong = [finish] {
            finish(Result<QJsonObject>(Error(Error::Kind::MalformedResponse,
                                             QStringLiteral("The agent's answer is too long."))));
        };
        while (socket->canReadLine()) {
            const QByteArray line = socket->readLine(agentprotocol::maxLineBytes + 1);
            *gatheredBytes += line.size();
            if (!line.endsWith('\n') || *gatheredBytes > agentprotocol::maxAnswerBytes) {
                tooLong();
                return;
            }
            QJsonObject answer = QJsonDocument::fromJson(line).object();
            const QString listKey = QStringLiteral("profiles");
            if (answer.value(QStringLiteral("ok")).toBool()
                && answer.value(QStringLiteral("more")).toBool()) {
                for (const QJsonValue &item : answer.value(listKey).toArray()) {
                    gathered->append(item);
                }
                continue;
            }
            if (answer.value(QStringLiteral("ok")).toBool()) {
                if (!gathered->isEmpty()) {
                    for (const QJsonValue &item : answer.value(listKey).toArray()) {
                        gathered->append(item);
                    }
                    answer.insert(listKey, *gathered);
                }
                finish(Result<QJsonObject>(answer));
                return;
            }
            const QJsonObject error = answer.value(QStringLiteral("error")).toObject();
            const auto kind = Error::kindFromName(error.value(QStringLiteral("kind")).toString());
            finish(Result<QJsonObject>(
                Error(kind.value_or(Error::Kind::MalformedResponse),
                      error.value(QStringLiteral("message"))
                          .toString(QStringLiteral("The agent gave an answer Tokenkeeper does not "
                                                   "understand.")))));
            return;
        }
        if (socket->bytesAvailable() > agentprotocol::maxLineBytes) {
            tooLong();
        }
    });
    socket->connectToServer(m_socketPath);
}

} // namespace tokenkeeper
