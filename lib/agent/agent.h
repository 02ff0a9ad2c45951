#pragma once

#include "agentprotocol.h"
#include "core/result.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <memory>

class QLocalServer;
class QLockFile;

namespace tokenkeeper {

class AgentConnection;
class Engine;
struct Profile;
struct TokenSet;

// The agent's limits; agentprotocol.h says what each is for.
struct AgentLimits
{
    int maxConnections = agentprotocol::maxConnections;
    int idleTimeoutMs = agentprotocol::idleTimeoutMs;
    qint64 maxQueuedBytes = agentprotocol::maxQueuedBytes;
    int maxRequestsInFlight = agentprotocol::maxRequestsInFlight;

    // TOKENKEEPER_AGENT_IDLE_TIMEOUT_MS shortens the idle limit (tests).
    static AgentLimits fromEnvironment();
};

// The engine served on a local socket (agentprotocol.h) to the command line:
// `tokenkeeper agent` runs it alone; the desktop app hosts it. One per user
// session: a second one cannot take the lock and says so.
//
//   Agent::start() --> lock --> Engine::start() (scheduler, file watcher)
//                           --> listen on the socket
//
//   a connection --> its peer's uid is ours? no --> closed, logged
//                --> fewer than maxConnections open? no --> one error line, closed, logged
//                --> AgentConnection (lines, idle and output limits) --> handle()
class Agent final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Agent)

public:
    using Limits = AgentLimits;

    struct Options
    {
        QString socketPath; // empty: agentprotocol::socketPath()
        QString lockPath; // empty: agentprotocol::lockPath()
        Limits limits;
    };

    explicit Agent(Engine &engine, Options options = {}, QObject *parent = nullptr);
    ~Agent() override;

    // Takes the lock, starts the engine (loads the profiles, starts
    // refreshing) and listens.
    Result<void> start();
    // Stops listening and lets the engine finish what is under way and save
    // every rotation (Engine::stop), then calls `done` with what came of it.
    void stop(int graceMs, std::function<void(Result<void>)> done);

    Engine &engine() { return m_engine; }
    const QString &socketPath() const { return m_options.socketPath; }

private:
    void accept();
    void handle(AgentConnection *connection, const QJsonObject &request);
    void logIn(AgentConnection *connection, const QJsonValue &id, const Profile &profile,
               const QJsonObject &request);
    void answerToken(AgentConnection *connection, const QJsonValue &id, const Profile &profile,
                     const Result<TokenSet> &result, const QJsonObject &extra = {});
    QJsonObject statusOf(const Profile &profile) const;

    Engine &m_engine;
    Options m_options;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer *m_server;
    int m_connections = 0;
};

} // namespace tokenkeeper
