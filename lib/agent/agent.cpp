#include "agent.h"

#include "agentconnection.h"
#include "agentprotocol.h"
#include "auth/tokenservice.h"
#include "core/logging.h"
#include "engine/engine.h"
#include "engine/profilemanager.h"
#include "profiles/profile.h"
#include "scheduler/refreshscheduler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QPointer>

#include <sys/socket.h>
#include <unistd.h>

namespace tokenkeeper {

AgentLimits AgentLimits::fromEnvironment()
{
    AgentLimits limits;
    bool ok = false;
    const int idle = qEnvironmentVariableIntValue("TOKENKEEPER_AGENT_IDLE_TIMEOUT_MS", &ok);
    if (ok && idle > 0) {
        limits.idleTimeoutMs = idle;
    }
    return limits;
}

Agent::Agent(Engine &engine, Options options, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_options(std::move(options))
    , m_server(new QLocalServer(this))
{
    if (m_options.socketPath.isEmpty()) {
        m_options.socketPath = agentprotocol::socketPath();
    }
    if (m_options.lockPath.isEmpty()) {
        m_options.lockPath = agentprotocol::lockPath();
    }
    connect(m_server, &QLocalServer::newConnection, this, &Agent::accept);
}

Agent::~Agent() = default;

Result<void> Agent::start()
{
    m_lock = std::make_unique<QLockFile>(m_options.lockPath);
    m_lock->setStaleLockTime(0); // held for the agent's life: stale only when its process is gone
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString app;
        m_lock->getLockInfo(&pid, &host, &app);
        m_lock.reset();
        return Error(Error::Kind::Usage,
                     QStringLiteral("A Tokenkeeper agent is already running (pid %1).").arg(pid));
    }
    if (auto started = m_engine.start(); !started) {
        return started;
    }
    QLocalServer::removeServer(m_options.socketPath); // a dead agent's socket; we hold the lock
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_options.socketPath)) {
        return Error(Error::Kind::Storage,
                     QStringLiteral("Cannot listen on %1: %2")
                         .arg(m_options.socketPath, m_server->errorString()));
    }
    return {};
}

void Agent::stop(int graceMs, std::function<void(Result<void>)> done)
{
    m_server->close();
    QLocalServer::removeServer(m_options.socketPath);
    m_engine.stop(graceMs, std::move(done));
}

namespace {

// The process at the other end of a local socket, as the kernel says; uid -1
// when it does not.
ucred peerOf(const QLocalSocket &socket)
{
    const ucred unknown {0, uid_t(-1), gid_t(-1)};
    ucred peer = unknown;
    socklen_t size = sizeof peer;
    if (getsockopt(int(socket.socketDescriptor()), SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0) {
        return unknown;
    }
    return peer;
}

void reply(AgentConnection *connection, const QJsonObject &answer)
{
    connection->answer(answer);
}

} // namespace

void Agent::accept()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        // The folder and the socket are the user's alone; should they be
        // opened up, the kernel's word on who connected still decides.
        const ucred peer = peerOf(*socket);
        if (peer.uid != getuid()) {
            qCWarning(lcAgent).noquote()
                << QStringLiteral("refused a connection from uid %1 (only uid %2 may ask)")
                       .arg(peer.uid == uid_t(-1) ? qint64(-1) : qint64(peer.uid))
                       .arg(getuid());
            socket->abort();
            socket->deleteLater();
            continue;
        }
        if (m_connections >= m_options.limits.maxConnections) {
            // One short line fits the socket's kernel buffer: written at once, then closed.
            qCWarning(lcAgent).noquote()
                << QStringLiteral("refused a connection from pid %1: %2 connections are open "
                                  "already")
                       .arg(peer.pid)
                       .arg(m_connections);
            socket->write(agentprotocol::answerLines(agentprotocol::failure(
                QJsonValue(),
                Error(Error::Kind::Network,
                      QStringLiteral("The Tokenkeeper agent serves %1 connections already; try "
                                     "again in a moment.")
                          .arg(m_connections)))));
            socket->flush();
            socket->abort();
            socket->deleteLater();
            continue;
        }
        ++m_connections;
        auto *connection =
            new AgentConnection(socket, peer.pid,
                                {.idleTimeoutMs = m_options.limits.idleTimeoutMs,
                                 .maxQueuedBytes = m_options.limits.maxQueuedBytes,
                                 .maxRequestsInFlight = m_options.limits.maxRequestsInFlight},
                                this);
        connect(connection, &AgentConnection::closed, this, [this] { --m_connections; });
        connect(connection, &AgentConnection::requested, this,
                [this, connection](const QJsonObject &request) { handle(connection, request); });
    }
}

QJsonObject Agent::statusOf(const Profile &profile) const
{
    QJsonObject json = m_engine.scheduler().status(profile.id).value_or(ProfileStatus()).toJson();
    json.insert(QStringLiteral("name"), profile.name);
    json.insert(QStringLiteral("preset"), profile.preset);
    json.insert(QStringLiteral("id"), profile.id);
    return json;
}

void Agent::answerToken(AgentConnection *connection, const QJsonValue &id, const Profile &profile,
                        const Result<TokenSet> &result, const QJsonObject &extra)
{
    if (!result) {
        reply(connection, agentprotocol::failure(id, result.error()));
        return;
    }
    QJsonObject answer = agentprotocol::tokenAnswer(profile.name, *result, m_engine.clock().now());
    answer.insert(QStringLiteral("id"), id);
    answer.insert(QStringLiteral("ok"), true);
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it) {
        answer.insert(it.key(), it.value());
    }
    reply(connection, answer);
}

void Agent::logIn(AgentConnection *connection, const QJsonValue &id, const Profile &profile,
                  const QJsonObject &request)
{
    // The secret came over the user's own socket; it goes to the token
    // service and nowhere else (no log line, no answer).
    QPointer<AgentConnection> guard(connection);
    m_engine.profiles().logIn(profile, request.value(QStringLiteral("secret")).toString(),
                              request.value(QStringLiteral("remember_password")).toBool(),
                              request.value(QStringLiteral("client_secret")).toString(), this,
                              [this, guard, id, profile](Result<TokenSet> result) {
                                  if (guard) {
                                      answerToken(guard, id, profile, result,
                                                  {{QStringLiteral("refresh_token_issued"),
                                                    result && !result->refreshToken.isEmpty()}});
                                  }
                              });
}

void Agent::handle(AgentConnection *connection, const QJsonObject &request)
{
    const QJsonValue id = request.value(QStringLiteral("id"));
    const QString command = request.value(QStringLiteral("cmd")).toString();
    QPointer<AgentConnection> guard(connection);

    if (command == u"list" || command == u"status") {
        QJsonArray profiles;
        for (const Profile &profile : m_engine.scheduler().profiles()) {
            profiles.append(command == u"list"
                                ? QJsonObject {{QStringLiteral("name"), profile.name},
                                               {QStringLiteral("preset"), profile.preset},
                                               {QStringLiteral("id"), profile.id}}
                                : statusOf(profile));
        }
        reply(connection,
              {{QStringLiteral("id"), id},
               {QStringLiteral("ok"), true},
               {QStringLiteral("locked"), m_engine.isLocked()},
               {QStringLiteral("profiles"), profiles}});
        return;
    }
    if (command == u"lock") {
        const Engine::LockOutcome outcome = m_engine.lock();
        reply(connection,
              {{QStringLiteral("id"), id},
               {QStringLiteral("ok"), true},
               {QStringLiteral("dropped"), outcome.dropped},
               {QStringLiteral("kept_unsaved"), QJsonArray::fromStringList(outcome.keptUnsaved)},
               {QStringLiteral("message"), outcome.message()}});
        return;
    }
    if (command == u"reload") {
        m_engine.reloadProfiles();
        if (const auto profile =
                m_engine.scheduler().find(request.value(QStringLiteral("profile")).toString())) {
            // Logged in or out by another process: what is in memory is stale.
            m_engine.tokens().forgetInMemory(profile->id);
            m_engine.scheduler().recheck(profile->id);
        }
        reply(connection, {{QStringLiteral("id"), id}, {QStringLiteral("ok"), true}});
        return;
    }

    const QString name = request.value(QStringLiteral("profile")).toString();
    auto profile = m_engine.scheduler().find(name);
    if (!profile) {
        m_engine.reloadProfiles(); // added a moment ago?
        profile = m_engine.scheduler().find(name);
    }
    if (!profile) {
        reply(connection,
              agentprotocol::failure(
                  id,
                  Error(Error::Kind::Usage, QStringLiteral("No profile named \"%1\".").arg(name))));
        return;
    }
    const Profile target = *profile;
    m_engine.noteUse(); // for locking when idle
    const auto answer = [this, guard, id, target](Result<TokenSet> result) {
        if (guard) {
            answerToken(guard, id, target, result);
        }
    };
    if (command == u"token" || command == u"header") {
        const int minValid =
            qBound(0, request.value(QStringLiteral("min_valid")).toInt(30), 365 * 24 * 3600);
        m_engine.tokens().tokenForUse(target, minValid, this, answer);
    } else if (command == u"refresh") {
        m_engine.tokens().token(target, TokenProvider::forceRenewal, this, answer);
    } else if (command == u"unauthorized") {
        m_engine.tokens().renewRejected(
            target, request.value(QStringLiteral("access_token")).toString(), this, answer);
    } else if (command == u"login") {
        logIn(connection, id, target, request);
    } else if (command == u"remove") {
        m_engine.profiles().remove(target, this, [guard, id](Result<void> removed) {
            if (guard) {
                reply(guard,
                      removed
                          ? QJsonObject {{QStringLiteral("id"), id}, {QStringLiteral("ok"), true}}
                          : agentprotocol::failure(id, removed.error()));
            }
        });
    } else if (command == u"logout") {
        m_engine.tokens().logout(
            target, this, [guard, id](Result<TokenService::LogoutOutcome> outcome) {
                if (!guard) {
                    return;
                }
                if (!outcome) {
                    reply(guard, agentprotocol::failure(id, outcome.error()));
                    return;
                }
                reply(guard,
                      {{QStringLiteral("id"), id},
                       {QStringLiteral("ok"), true},
                       {QStringLiteral("server_session_ended"), outcome->serverSessionEnded},
                       {QStringLiteral("warning"), outcome->warning}});
            });
    } else {
        reply(connection,
              agentprotocol::failure(id,
                                     Error(Error::Kind::Usage,
                                           QStringLiteral("unknown command \"%1\"").arg(command))));
    }
}

} // namespace tokenkeeper
