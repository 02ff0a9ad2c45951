#include "agentconnection.h"

#include "agentprotocol.h"
#include "core/logging.h"

#include <QJsonDocument>
#include <QLocalSocket>

namespace tokenkeeper {

AgentConnection::AgentConnection(QLocalSocket *socket, qint64 peerPid, Limits limits,
                                 QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_peerPid(peerPid)
    , m_limits(limits)
{
    m_socket->setParent(this);
    // Qt reads from the kernel only while its buffer holds less than a line:
    // what a client sends while its requests wait stays in the kernel.
    m_socket->setReadBufferSize(agentprotocol::maxLineBytes + 1);
    m_idle.setSingleShot(true);
    m_idle.setInterval(m_limits.idleTimeoutMs);
    connect(&m_idle, &QTimer::timeout, this, [this] {
        const int seconds = m_limits.idleTimeoutMs / 1000;
        close(m_socket->bytesToWrite() > 0
                  ? QStringLiteral("it read none of its answers for %1 s (%2 bytes waiting)")
                        .arg(seconds)
                        .arg(m_socket->bytesToWrite())
                  : QStringLiteral("it asked nothing for %1 s").arg(seconds));
    });
    connect(m_socket, &QLocalSocket::readyRead, this, &AgentConnection::readRequests);
    connect(m_socket, &QLocalSocket::bytesWritten, this, [this] {
        clientMoved();
        readLater();
    });
    connect(m_socket, &QLocalSocket::disconnected, this, &AgentConnection::finish);
    m_idle.start();
    readLater(); // what came with the connection
}

void AgentConnection::answer(const QJsonObject &answer)
{
    if (m_finished) {
        return;
    }
    m_socket->write(agentprotocol::answerLines(answer));
    --m_inFlight;
    if (readingWaits() && !m_waitLogged) {
        m_waitLogged = true;
        qCWarning(lcAgent).noquote()
            << QStringLiteral("pid %1 is not reading its answers (%2 bytes waiting): its next "
                              "requests wait until it does")
                   .arg(m_peerPid)
                   .arg(m_socket->bytesToWrite());
    }
    updateIdleTimer();
    readLater();
}

bool AgentConnection::readingWaits() const
{
    return m_socket->bytesToWrite() > m_limits.maxQueuedBytes
        || m_inFlight >= m_limits.maxRequestsInFlight;
}

void AgentConnection::readLater()
{
    if (m_reading || m_readQueued || m_finished) {
        return;
    }
    m_readQueued = true;
    QMetaObject::invokeMethod(this, &AgentConnection::readRequests, Qt::QueuedConnection);
}

void AgentConnection::readRequests()
{
    m_readQueued = false;
    if (m_finished || m_reading) {
        return;
    }
    m_reading = true;
    while (!m_finished && !readingWaits()) {
        qsizetype end = m_pending.indexOf('\n');
        if (end < 0 && m_pending.size() <= agentprotocol::maxLineBytes) {
            // Asking for more than Qt holds makes it read on from the kernel
            // (with its buffer full it had stopped).
            m_pending += m_socket->read(agentprotocol::maxLineBytes + 1 - m_pending.size());
            end = m_pending.indexOf('\n');
        }
        if (end < 0) {
            break;
        }
        const QByteArray line = m_pending.left(end + 1);
        m_pending.remove(0, end + 1);
        m_waitLogged = false;
        clientMoved();
        ++m_inFlight;
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            answer(agentprotocol::failure(
                QJsonValue(), Error(Error::Kind::Usage, QStringLiteral("not a JSON object line"))));
            continue;
        }
        Q_EMIT requested(document.object()); // answered now or later, but once
    }
    m_reading = false;
    if (!m_finished && m_pending.size() > agentprotocol::maxLineBytes
        && !m_pending.contains('\n')) {
        close(
            QStringLiteral("it sent a line longer than %1 bytes").arg(agentprotocol::maxLineBytes));
        return;
    }
    updateIdleTimer();
}

void AgentConnection::clientMoved()
{
    m_idle.start();
    updateIdleTimer();
}

void AgentConnection::updateIdleTimer()
{
    if (m_finished) {
        return;
    }
    // The client owes the next move: a request (nothing of it pending), or
    // reading what it was answered. Otherwise the engine is working for it.
    const bool clientsTurn = m_inFlight == 0 || m_socket->bytesToWrite() > 0;
    if (!clientsTurn) {
        m_idle.stop();
    } else if (!m_idle.isActive()) {
        m_idle.start();
    }
}

void AgentConnection::close(const QString &why)
{
    if (m_finished) {
        return;
    }
    qCWarning(lcAgent).noquote()
        << QStringLiteral("closed the connection of pid %1: %2").arg(m_peerPid).arg(why);
    m_socket->abort();
    finish();
}

void AgentConnection::finish()
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_idle.stop();
    Q_EMIT closed();
    deleteLater();
}

} // namespace tokenkeeper
