#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <memory>

class QLocalServer;
class QLocalSocket;
class QLockFile;

namespace tokenkeeper {

class Engine;
struct Profile;
struct TokenSet;

// The engine served on a local socket (agentprotocol.h) to the command line:
// `tokenkeeper agent` runs it alone; the desktop app hosts it. One per user
// session: a second one cannot take the lock and says so.
//
//   Agent::start() --> lock --> Engine::start() (scheduler, file watcher)
//                           --> listen on the socket
class Agent final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Agent)

public:
    struct Options
    {
        QString socketPath; // empty: agentprotocol::socketPath()
        QString lockPath; // empty: agentprotocol::lockPath()
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
    void readRequests(QLocalSocket *socket);
    void handle(QLocalSocket *socket, const QJsonObject &request);
    void logIn(QLocalSocket *socket, const QJsonValue &id, const Profile &profile,
               const QJsonObject &request);
    void answerToken(QLocalSocket *socket, const QJsonValue &id, const Profile &profile,
                     const Result<TokenSet> &result, const QJsonObject &extra = {});
    static void reply(QLocalSocket *socket, QJsonObject answer);
    static QJsonObject failure(const QJsonValue &id, const Error &error);
    QJsonObject statusOf(const Profile &profile) const;

    Engine &m_engine;
    Options m_options;
    std::unique_ptr<QLockFile> m_lock;
    QLocalServer *m_server;
};

} // namespace tokenkeeper
