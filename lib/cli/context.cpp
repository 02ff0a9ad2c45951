#include "context.h"

#include "agent/agentclient.h"
#include "auth/tokenservice.h"
#include "core/logging.h"
#include "profiles/profilestore.h"

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
    , m_locks(new ProfileLocks(m_options.profileLocksDirectory.isEmpty()
                                   ? ProfileLocks::userDirectory()
                                   : m_options.profileLocksDirectory,
                               this))
{
    // `tokenkeeper request` waits twice as long as a token request.
    m_options.requestTimeoutMs = m_options.httpTimeoutMs * 2;
    m_locks->setWaitLimitMs(m_options.lockWaitLimitMs());
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

void Context::lockProfile(const Profile &profile, std::function<void()> locked)
{
    m_locks->acquire(
        profile.id, profile.name, this,
        [this, profile, locked = std::move(locked)](Result<ProfileLocks::Lease> lease) {
            if (!lease) {
                fail(lease.error(), profile.name);
                return;
            }
            m_profileLock = lease.value();
            locked();
        });
}

void Context::workAlone(const Profile &profile, std::function<void()> alone,
                        std::function<void()> agentAppeared)
{
    // Without an agent, two processes must never renew one profile at once:
    // a refresh token sent twice ends a Sensu session.
    lockProfile(profile,
                [this, alone = std::move(alone), agentAppeared = std::move(agentAppeared)] {
                    if (agent().agentRuns()) {
                        qCInfo(lcProfiles) << "an agent started; asking it instead";
                        m_profileLock.release();
                        agentAppeared();
                        return;
                    }
                    alone();
                });
}

void Context::askAgent(const QJsonObject &request, const Profile &profile,
                       std::function<void(const QJsonObject &)> answered,
                       std::function<void()> alone)
{
    agent().request(request, agentTimeoutMs(),
                    [this, request, profile, answered = std::move(answered),
                     alone = std::move(alone)](std::optional<Result<QJsonObject>> answer) {
                        if (!answer) {
                            workAlone(profile, alone, [this, request, profile, answered, alone] {
                                askAgent(request, profile, answered, alone);
                            });
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
