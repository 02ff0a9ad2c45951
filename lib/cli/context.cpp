#include "context.h"

#include "agent/agentclient.h"
#include "agent/agentprotocol.h"
#include "auth/tokenservice.h"
#include "core/logging.h"
#include "profiles/profilestore.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLockFile>
#include <QTimer>

#include <cstdio>

namespace tokenkeeper::cli {

int exitCodeFor(Error::Kind kind)
{
    switch (kind) {
    case Error::Kind::Usage:
        return UsageError;
    case Error::Kind::NotLoggedIn:
    case Error::Kind::LoginRequired:
        return LoginRequired;
    case Error::Kind::Network:
    case Error::Kind::Tls:
    case Error::Kind::Server:
    case Error::Kind::Request:
    case Error::Kind::MalformedResponse:
        return ServerFailure;
    case Error::Kind::Keychain:
        return KeychainUnavailable;
    case Error::Kind::Storage:
        return StorageFailure;
    }
    return StorageFailure;
}

Context::Context(EngineOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_out(stdout)
    , m_err(stderr)
{
    // `tokenkeeper request` waits twice as long as a token request.
    m_options.requestTimeoutMs = m_options.httpTimeoutMs * 2;
}

Context::~Context()
{
    // What the commands hung on this context (the agent, a watcher) may use
    // the engine: they go first.
    const QObjectList commandObjects = children();
    qDeleteAll(commandObjects);
}

Engine &Context::engine()
{
    if (!m_engine) {
        m_engine = std::make_unique<Engine>(m_options);
    }
    return *m_engine;
}

int Context::agentTimeoutMs() const
{
    return m_options.httpTimeoutMs * 3 + m_options.keychainTimeoutMs * 2;
}

void Context::done(int code)
{
    if (m_done) {
        return;
    }
    m_done = true;
    if (m_interruptCode != 0) {
        code = m_interruptCode;
    }
    m_out.flush();
    m_err.flush();
    Q_EMIT finished(code);
}

void Context::interrupt(int signalNumber)
{
    if (m_interruptHandler) {
        m_interruptHandler(signalNumber);
        return;
    }
    if (m_done || m_interruptCode != 0) {
        return; // a second signal does not cut what the first let finish
    }
    m_interruptCode = 128 + signalNumber;
    if (!mustFinishFirst()) {
        done(m_interruptCode);
        return;
    }
    // The command ends itself when its work is done; a renewal that was only
    // a step of it (`request`) ends it when the token service falls idle.
    connect(&engine().tokens(), &TokenService::idle, this, [this] {
        if (!mustFinishFirst()) {
            done(m_interruptCode);
        }
    });
    QTimer::singleShot(engine().stopGraceMs(), this, [this] { done(m_interruptCode); });
}

bool Context::mustFinishFirst() const
{
    return m_deferInterrupts || (m_engine && m_engine->tokens().busy());
}

void Context::fail(const Error &error, const QString &profileName)
{
    m_err << "tokenkeeper: " << error.message() << '\n';
    if ((error.kind() == Error::Kind::LoginRequired || error.kind() == Error::Kind::NotLoggedIn)
        && !profileName.isEmpty()) {
        m_err << "Log in with: tokenkeeper login '" << profileName << "'\n";
    }
    done(exitCodeFor(error.kind()));
}

void Context::usage(const QString &message)
{
    m_err << "tokenkeeper: " << message << "\nRun `tokenkeeper --help` for usage.\n";
    done(UsageError);
}

bool Context::loadProfile(const QString &name, Profile &into)
{
    auto profile = engine().profileStore().find(name);
    if (!profile) {
        fail(profile.error());
        return false;
    }
    into = *profile;
    return true;
}

AgentClient &Context::agent()
{
    if (!m_agent) {
        m_agent = new AgentClient({}, {}, this);
    }
    return *m_agent;
}

bool Context::lockProfile(const Profile &profile)
{
    // Without an agent, two processes must never renew one profile at once:
    // a refresh token sent twice ends a Sensu session.
    const QString dir = agentprotocol::runtimeDirectory() + QStringLiteral("/locks");
    QDir().mkpath(dir);
    m_profileLock = std::make_unique<QLockFile>(dir + u'/' + profile.id + QStringLiteral(".lock"));
    m_profileLock->setStaleLockTime(0); // stale only when its process is gone
    QElapsedTimer waited;
    waited.start();
    while (!m_profileLock->tryLock(100)) {
        if (m_profileLock->error() != QLockFile::LockFailedError || waited.elapsed() > 60'000) {
            fail(Error(Error::Kind::Storage,
                       QStringLiteral("Another tokenkeeper has been renewing \"%1\" for a "
                                      "minute; try again.")
                           .arg(profile.name)));
            return false;
        }
        removeIfAbandoned(*m_profileLock);
    }
    return true;
}

void Context::removeIfAbandoned(QLockFile &lock)
{
    // A lock file that names no process was left by one killed while it
    // wrote it, and QLockFile knows a stale lock by its process only: it
    // would wait for ever. A live holder's file names it a moment after it
    // is made. As QLockFile does, the removal is serialised by a second lock,
    // under which the file is looked at again.
    const auto abandoned = [&lock] {
        qint64 pid = 0;
        QString host;
        QString app;
        const QFileInfo file(lock.fileName());
        return file.exists() && !lock.getLockInfo(&pid, &host, &app)
            && file.lastModified().msecsTo(QDateTime::currentDateTime()) > 1000;
    };
    if (!abandoned()) {
        return;
    }
    QLockFile removal(lock.fileName() + QStringLiteral(".rmlock"));
    if (removal.tryLock(0) && abandoned()) {
        qCWarning(lcProfiles).noquote() << "taking over the abandoned lock" << lock.fileName();
        lock.removeStaleLockFile();
    }
}

void Context::askAgent(const QJsonObject &request, const Profile &profile,
                       std::function<void(const QJsonObject &)> answered,
                       std::function<void()> alone)
{
    agent().request(request, agentTimeoutMs(),
                    [this, profile, answered = std::move(answered),
                     alone = std::move(alone)](std::optional<Result<QJsonObject>> answer) {
                        if (!answer) {
                            if (lockProfile(profile)) {
                                alone();
                            }
                            return;
                        }
                        if (!*answer) {
                            fail(answer->error(), profile.name);
                            return;
                        }
                        answered(answer->value());
                    });
}

void Context::tellAgent(const QJsonObject &request, std::function<void()> then)
{
    agent().request(request, 5'000,
                    [then = std::move(then)](std::optional<Result<QJsonObject>>) { then(); });
}

} // namespace tokenkeeper::cli
