#pragma once

#include "agent/agent.h"
#include "auth/presetregistry.h"
#include "core/clock.h"
#include "core/error.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QTextStream>

#include <functional>
#include <memory>

class QLockFile;
class QNetworkAccessManager;

namespace tokenkeeper {

class AgentClient;
class AuthClient;
class HttpClient;
class ProfileStore;
class SecretStore;
class RequestRunner;
class TokenProvider;
class TokenService;
struct Profile;
struct RequestOutcome;

// `tokenkeeper` on the command line: parses the arguments, runs one command
// asynchronously and emits finished() with the exit code:
//   0 ok, 1 profiles file unusable, 2 usage error, 3 login required,
//   4 server or network failure, 5 keychain unavailable, 6 a request's
//   answer was 4xx or 5xx.
// Secrets are read from standard input or a no-echo prompt, never from the
// arguments.
class CommandLine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommandLine)

public:
    enum ExitCode {
        Ok = 0,
        StorageFailure = 1,
        UsageError = 2,
        LoginRequired = 3,
        ServerFailure = 4,
        KeychainUnavailable = 5,
        HttpError = 6, // `request`: the server answered 4xx or 5xx
    };

    // Everything the commands need, passed in (no globals); the defaults are
    // the user's real config directory and OS keychain.
    // The same setup as the agent's: the command line may become one.
    using Setup = Agent::Setup;

    CommandLine(QStringList arguments, Setup setup, QObject *parent = nullptr);
    ~CommandLine() override;

    static int exitCodeFor(Error::Kind kind);

public Q_SLOTS:
    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void done(int code);
    void fail(const Error &error, const QString &profileName = {});
    int usage(const QString &message);

    void profileCommand(const QStringList &args);
    void profileAdd(const QStringList &args);
    void profileList(const QStringList &args);
    void profileShow(const QStringList &args);
    void profileRemove(const QStringList &args);
    void presetsCommand(const QStringList &args);
    void loginCommand(const QStringList &args);
    void logoutCommand(const QStringList &args);
    void tokenCommand(const QStringList &args, bool header);
    void refreshCommand(const QStringList &args);
    void statusCommand(const QStringList &args);
    void agentCommand(const QStringList &args);
    void requestCommand(const QStringList &args);
    void printAnswer(const RequestOutcome &outcome, bool withHead, bool verbose);

    enum class Output { Token, Header, Json };
    void printToken(const QJsonObject &token, Output output);
    void printStatus(const QJsonArray &profiles, bool agentRuns, bool json);
    // Asks the running agent; with none, takes the profile's lock and runs `alone`.
    void askAgent(const QJsonObject &request, const Profile &profile,
                  std::function<void(const QJsonObject &)> answered, std::function<void()> alone);
    // Tells a running agent something, if one runs, then goes on.
    void tellAgent(const QJsonObject &request, std::function<void()> then);
    bool lockProfile(const Profile &profile);

    void printHelp();
    bool loadProfile(const QString &name, Profile &into);
    TokenService &tokens();

    QStringList m_arguments;
    Setup m_setup;
    QTextStream m_out;
    QTextStream m_err;
    SystemClock m_clock;
    PresetRegistry m_presets;
    std::unique_ptr<ProfileStore> m_store;
    QNetworkAccessManager *m_nam = nullptr;
    HttpClient *m_http = nullptr;
    AuthClient *m_auth = nullptr;
    SecretStore *m_secrets = nullptr;
    TokenService *m_tokens = nullptr;
    AgentClient *m_agent = nullptr;
    std::unique_ptr<TokenProvider> m_provider;
    HttpClient *m_requestHttp = nullptr;
    RequestRunner *m_runner = nullptr;
    std::unique_ptr<QLockFile> m_profileLock;
    bool m_finished = false;
};

} // namespace tokenkeeper
