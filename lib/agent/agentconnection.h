#pragma once

#include <QJsonObject>
#include <QObject>
#include <QTimer>

class QLocalSocket;

namespace tokenkeeper {

// One client of the agent: reads its request lines and writes its answers
// within the agent's limits (agentprotocol.h), so that a client which asks
// and never reads, sends a line that never ends, or just sits there, can
// neither make the agent grow nor hold a connection for ever.
//
//   readyRead --> a whole line? --> requested(json) --> Agent::handle
//       ^                                                   |
//       |                                                   v
//       |  reading waits while more than maxQueuedBytes     answer(json), once per
//       |  of answers wait for the client, or while         request (a long list:
//       |  maxRequestsInFlight requests are unanswered;     several lines, in parts)
//       |  its lines wait in the kernel (the client's              |
//       |  writes block; Qt and m_pending hold a line each)        v
//       +------------- resumes when written (bytesWritten) or answered
//
//   closed, with a warning in the log (never a request's content), when
//   a line is longer than maxLineBytes; when it asks nothing for idleTimeoutMs
//   while nothing of it is pending; when it reads nothing of its queued answers
//   for idleTimeoutMs. While the engine works on its request (a renewal may
//   take minutes) it may wait quietly.
class AgentConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentConnection)

public:
    struct Limits
    {
        int idleTimeoutMs;
        qint64 maxQueuedBytes;
        int maxRequestsInFlight;
    };

    // Takes the socket over; `peerPid` names the client in log lines.
    AgentConnection(QLocalSocket *socket, qint64 peerPid, Limits limits, QObject *parent = nullptr);
    ~AgentConnection() override = default;

    // Answers one request (agentprotocol::answerLines: in parts when long).
    void answer(const QJsonObject &answer);

Q_SIGNALS:
    void requested(const QJsonObject &request);
    // The client is gone or was closed; the connection deletes itself later.
    void closed();

private:
    void readRequests();
    void readLater();
    bool readingWaits() const;
    void clientMoved(); // a line read or an answer taken: the idle time starts again
    void updateIdleTimer();
    void close(const QString &why);
    void finish();

    QLocalSocket *m_socket;
    qint64 m_peerPid;
    Limits m_limits;
    QTimer m_idle;
    QByteArray m_pending; // at most a line: what was read of the next request
    int m_inFlight = 0;
    bool m_reading = false;
    bool m_readQueued = false;
    bool m_waitLogged = false;
    bool m_finished = false;
};

} // namespace tokenkeeper
