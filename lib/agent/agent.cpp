#include "agent.h"

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

// The uid of the process at the other end of a local socket, or -1.
qint64 peerUid(const QLocalSocket &socket)
{
    ucred peer {};
    socklen_t size = sizeof peer;
    if (getsockopt(int(socket.socketDescriptor()), SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0) {
        return -1;
    }
    return qint64(peer.uid);
}

} // namespace

void Agent::accept()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        // The folder and the socket are the user's alone; should they be
        // opened up, the kernel's word on who connected still decides.
        if (const qint64 uid = peerUid(*socket); uid != qint64(getuid())) {
            qCWarning(lcAgent).noquote()
                << QStringLiteral("refused a connection from uid %1 (only uid %2 may ask)")
                       .arg(uid)
                       .arg(getuid());
            socket->abort();
            socket->deleteLater();
            continue;
        }
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { readRequests(socket); });
    }
}

void Agent::readRequests(QLocalSocket *socket)
{
    while (socket->canReadLine()) {
        const QByteArray line = socket->readLine(agentprotocol::maxLineBytes + 1);
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            reply(socket,
                  failure(QJsonValue(),
                          Error(Error::Kind::Usage, QStringLiteral("not a JSON object line"))));
            continue;
        }
        handle(socket, document.object());
    }
    if (socket->bytesAvailable() > agentprotocol::maxLineBytes) {
        socket->abort(); // a line that never ends is not our protocol
    }
}

void Agent::reply(QLocalSocket *socket, QJsonObject answer)
{
    socket->write(QJsonDocument(answer).toJson(QJsonDocument::Compact) + '\n');
}

QJsonObject Agent::failure(const QJsonValue &id, const Error &error)
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("ok"), false},
            {QStringLiteral("error"),
             QJsonObject {{QStringLiteral("kind"), Error::kindName(error.kind())},
                          {QStringLiteral("message"), error.message()}}}};
}

QJsonObject Agent::statusOf(const Profile &profile) const
{
    QJsonObject json = m_engine.scheduler().status(profile.id).value_or(ProfileStatus()).toJson();
    json.insert(QStringLiteral("name"), profile.name);
    json.insert(QStringLiteral("preset"), profile.preset);
    json.insert(QStringLiteral("id"), profile.id);
    return json;
}

void Agent::answerToken(QLocalSocket *socket, const QJsonValue &id, const Profile &profile,
                        const Result<TokenSet> &result, const QJsonObject &extra)
{
    if (!result) {
        reply(socket, failure(id, result.error()));
        return;
    }
    QJsonObject answer = agentprotocol::tokenAnswer(profile.name, *result, m_engine.clock().now());
    answer.insert(QStringLiteral("id"), id);
    answer.insert(QStringLiteral("ok"), true);
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it) {
        answer.insert(it.key(), it.value());
    }
    reply(socket, answer);
}

void Agent::logIn(QLocalSocket *socket, const QJsonValue &id, const Profile &profile,
                  const QJsonObject &request)
{
    // The secret came over the user's own socket; it goes to the token
    // service and nowhere else (no log line, no answer).
    QPointer<QLocalSocket> guard(socket);
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

void Agent::handle(QLocalSocket *socket, const QJsonObject &request)
{
    const QJsonValue id = request.value(QStringLiteral("id"));
    const QString command = request.value(QStringLiteral("cmd")).toString();
    QPointer<QLocalSocket> guard(socket);

    if (command == u"list" || command == u"status") {
        QJsonArray profiles;
        for (const Profile &profile : m_engine.scheduler().profiles()) {
            profiles.append(command == u"list"
                                ? QJsonObject {{QStringLiteral("name"), profile.name},
                                               {QStringLiteral("preset"), profile.preset},
                                               {QStringLiteral("id"), profile.id}}
                                : statusOf(profile));
        }
        reply(socket,
              {{QStringLiteral("id"), id},
               {QStringLiteral("ok"), true},
               {QStringLiteral("locked"), m_engine.isLocked()},
               {QStringLiteral("profiles"), profiles}});
        return;
    }
    if (command == u"lock") {
        const Engine::LockOutcome outcome = m_engine.lock();
        reply(socket,
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
        reply(socket, {{QStringLiteral("id"), id}, {QStringLiteral("ok"), true}});
        return;
    }

    const QString name = request.value(QStringLiteral("profile")).toString();
    auto profile = m_engine.scheduler().find(name);
    if (!profile) {
        m_engine.reloadProfiles(); // added a moment ago?
        profile = m_engine.scheduler().find(name);
    }
    if (!profile) {
        reply(socket,
              failure(
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
        logIn(socket, id, target, request);
    } else if (command == u"remove") {
        m_engine.profiles().remove(target, this, [guard, id](Result<void> removed) {
            if (guard) {
                reply(guard,
                      removed
                          ? QJsonObject {{QStringLiteral("id"), id}, {QStringLiteral("ok"), true}}
                          : failure(id, removed.error()));
            }
        });
    } else if (command == u"logout") {
        m_engine.tokens().logout(
            target, this, [guard, id](Result<TokenService::LogoutOutcome> outcome) {
                if (!guard) {
                    return;
                }
                if (!outcome) {
                    reply(guard, failure(id, outcome.error()));
                    return;
                }
                reply(guard,
                      {{QStringLiteral("id"), id},
                       {QStringLiteral("ok"), true},
                       {QStringLiteral("server_session_ended"), outcome->serverSessionEnded},
                       {QStringLiteral("warning"), outcome->warning}});
            });
    } else {
        reply(socket,
              failure(id,
                      Error(Error::Kind::Usage,
                            QStringLiteral("unknown command \"%1\"").arg(command))));
    }
}

} // namespace tokenkeeper
