#include "singleinstance.h"

#include "agent/agentprotocol.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>

namespace tokenkeeper {

namespace {

const QString commandKey = QStringLiteral("command");
const QString raiseCommand = QStringLiteral("raise");
const QString tokenKey = QStringLiteral("activation_token");

QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

SingleInstance::SingleInstance(QString socketPath, QObject *parent)
    : QObject(parent)
    , m_socketPath(socketPath.isEmpty() ? defaultSocketPath() : std::move(socketPath))
    , m_server(new QLocalServer(this))
{
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::accept);
}

SingleInstance::~SingleInstance()
{
    m_server->close(); // removes the socket file
}

QString SingleInstance::defaultSocketPath()
{
    return agentprotocol::runtimeDirectory() + QStringLiteral("/desktop.sock");
}

bool SingleInstance::raiseRunning(int timeoutMs) const
{
    QLocalSocket socket;
    socket.connectToServer(m_socketPath);
    if (!socket.waitForConnected(timeoutMs)) {
        return false; // nobody there, or a socket left behind
    }
    QString token = qEnvironmentVariable("XDG_ACTIVATION_TOKEN");
    if (token.isEmpty()) {
        token = qEnvironmentVariable("DESKTOP_STARTUP_ID");
    }
    socket.write(line({{commandKey, raiseCommand}, {tokenKey, token}}));
    if (!socket.waitForBytesWritten(timeoutMs)) {
        return false;
    }
    while (!socket.canReadLine()) {
        if (!socket.waitForReadyRead(timeoutMs)) {
            return false;
        }
    }
    const QJsonObject answer = QJsonDocument::fromJson(socket.readLine()).object();
    return answer.value(QStringLiteral("ok")).toBool();
}

Result<void> SingleInstance::listen()
{
    // We hold the agent lock: a socket file there is a crashed app's.
    QLocalServer::removeServer(m_socketPath);
    if (!m_server->listen(m_socketPath)) {
        return Error(
            Error::Kind::Usage,
            QCoreApplication::translate("tokenkeeper::SingleInstance", "Could not listen on %1: %2")
                .arg(m_socketPath, m_server->errorString()));
    }
    return {};
}

bool SingleInstance::isListening() const
{
    return m_server->isListening();
}

void SingleInstance::accept()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { read(socket); });
        read(socket); // what came with the connection
    }
}

void SingleInstance::read(QLocalSocket *socket)
{
    if (!socket->canReadLine()) {
        if (socket->bytesAvailable() > maxRequestBytes) {
            socket->abort();
        }
        return;
    }
    const QJsonObject request = QJsonDocument::fromJson(socket->readLine(maxRequestBytes)).object();
    const bool raise = request.value(commandKey).toString() == raiseCommand;
    socket->write(line({{QStringLiteral("ok"), raise}}));
    socket->disconnectFromServer();
    if (raise) {
        Q_EMIT raiseRequested(request.value(tokenKey).toString());
    }
}

} // namespace tokenkeeper
