#pragma once

#include "core/error.h"
#include "engine/engine.h"
#include "profiles/profile.h"
#include "secrets/profilelocks.h"

#include <QJsonObject>
#include <QObject>
#include <QTextStream>

#include <functional>
#include <memory>

namespace tokenkeeper {
class AgentClient;
struct Profile;
} // namespace tokenkeeper

namespace tokenkeeper::cli {

// Exit codes of `tokenkeeper`.
enum ExitCode {
    Ok = 0,
    StorageFailure = 1, // the profiles file is unusable
    UsageError = 2,
    LoginRequired = 3,
    ServerFailure = 4, // server or network
    KeychainUnavailable = 5,
    HttpError = 6, // `request`: the server answered 4xx or 5xx
};
int exitCodeFor(Error::Kind kind);

// What every command is given: standard output and error, the engine (built
// on first use), the running agent if any, and one way to end.
class Context final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Context)

public:
    explicit Context(EngineOptions options, QObject *parent = nullptr);
    ~Context() override;

    // Standard output; after an interrupt, nothing more reaches it.
    QTextStream &out() { return m_interruptCode == 0 ? m_out : m_discard; }
    QTextStream &err() { return m_err; }
    Engine &engine();
    const EngineOptions &options() const { return m_options; }
    // How long to wait for the agent, which may itself wait for a server
    // and the keychain.
    int agentTimeoutMs() const;

    // Ends the command with `code` (only the first call counts).
    void done(int code);
    // Prints the error (and how to log in, when that is the fix) and ends.
    void fail(const Error &error, const QString &profileName = {});
    // Prints the usage error and ends with UsageError.
    void usage(const QString &message);
    bool isDone() const { return m_done; }

    // A SIGINT or SIGTERM (CommandLine::interrupt). The command ends now with
    // 128 + the signal's number, unless work that must not be cut is under
    // way: a renewal or its keychain write (TokenService::busy()), or what a
    // command marked with deferInterrupts(). Then it ends when that work is
    // done (within its own deadlines, at most Engine::stopGraceMs()),
    // with the same exit code and nothing more on standard output: a rotated
    // refresh token is stored, not lost with the process.
    void interrupt(int signalNumber);
    // From here until done(), an interrupt waits for the command to end (a
    // login or a logout under way: the server acts before the keychain).
    void deferInterrupts() { m_deferInterrupts = true; }
    // A command that stops in its own way (the agent) takes the signals.
    void setInterruptHandler(std::function<void(int)> handler)
    {
        m_interruptHandler = std::move(handler);
    }

    // The profile by name or id into `into`; else fails and answers false.
    bool loadProfile(const QString &name, Profile &into);

    // Asks the running agent; with none, takes the profile's lock and runs
    // `alone` (workAlone()).
    void askAgent(const QJsonObject &request, const Profile &profile,
                  std::function<void(const QJsonObject &)> answered, std::function<void()> alone);
    // Tells a running agent something, if one runs, then goes on.
    void tellAgent(const QJsonObject &request, std::function<void()> then);
    // No agent answered: takes the profile's lock (ProfileLocks) for the rest
    // of the command and runs `alone`; fails when another process holds it
    // for a minute. An agent that started meanwhile takes its lock before it
    // renews anything (Agent::start), so one seen under our lock may already
    // wait for it: the lock goes back and `agentAppeared` runs instead.
    //
    //   no agent --> lock the profile --> an agent now? --no--> alone()
    //                                         `--yes--> unlock --> agentAppeared()
    void workAlone(const Profile &profile, std::function<void()> alone,
                   std::function<void()> agentAppeared);
    // Takes the profile's lock for the rest of the command, whether an agent
    // runs or not, then runs `locked`; fails when another process holds it
    // for a minute.
    void lockProfile(const Profile &profile, std::function<void()> locked);
    AgentClient &agent();

Q_SIGNALS:
    void finished(int exitCode);

private:
    bool mustFinishFirst() const;

    EngineOptions m_options;
    QTextStream m_out;
    QTextStream m_err;
    std::unique_ptr<Engine> m_engine;
    AgentClient *m_agent = nullptr;
    ProfileLocks *m_locks;
    ProfileLocks::Lease m_profileLock; // working alone: held until the process ends
    bool m_done = false;
    int m_interruptCode = 0; // 128 + the signal's number, once interrupted
    bool m_deferInterrupts = false;
    std::function<void(int)> m_interruptHandler;
    QString m_discarded;
    QTextStream m_discard {&m_discarded};
};

} // namespace tokenkeeper::cli
