#pragma once

#include "auth/presetregistry.h"
#include "core/clock.h"
#include "core/result.h"
#include "profiles/profilestore.h"
#include "scheduler/refreshpolicy.h"

#include <QDateTime>
#include <QObject>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class QFileSystemWatcher;
class QTimer;

namespace tokenkeeper {

class AuthClient;
class MemorySecretStore;
class NetworkAccess;
class ProfileLocks;
class ProfileManager;
class ProfileStore;
class RefreshScheduler;
class RequestHistory;
class RequestRunner;
class SecretStore;
class TokenProvider;
class TokenService;
class WakeTimer;

// What an Engine is built from. fromEnvironment() gives the user's own
// directories, the OS keychain and the real clock; tests inject the rest.
struct EngineOptions
{
    QString profilesPath;
    QString presetsDirectory;
    QString historyPath;
    // The settings file (SettingsStore): what the request history keeps is
    // read from it on every add. Empty: the history keeps everything.
    QString settingsPath;
    QString keychainService = QStringLiteral("Tokenkeeper");
    int keychainTimeoutMs = 10'000;
    int httpTimeoutMs = 15'000; // a token endpoint's answer
    // A rotating refresh, once sent, is waited for 3x as long: giving up on
    // its answer may lose the refresh token the server issued in exchange.
    int spentAnswerTimeoutMs() const { return 3 * httpTimeoutMs; }
    // How long to wait for a profile's lock: its holder may be renewing
    // (the slowest refresh, two keychain calls) for a command's request.
    int lockWaitLimitMs() const
    {
        return spentAnswerTimeoutMs() + requestTimeoutMs + 2 * keychainTimeoutMs + 10'000;
    }
    int requestTimeoutMs = 60'000; // an API request of the window's request tester
    RefreshPolicy policy;
    // Where the per-profile lock files are (ProfileLocks): a started engine
    // (agent, desktop app) holds a profile's lock around each renewal, login,
    // logout and retried keychain write. Empty: no locks (secrets of this
    // process alone, as the tests' memory store).
    QString profileLocksDirectory;
    // Not owned; null: the OS keychain, the system clock, a timerfd wake timer.
    SecretStore *secrets = nullptr;
    const Clock *clock = nullptr;
    WakeTimer *wakeTimer = nullptr;

    // The user's config, data and runtime (lock) directories and OS keychain;
    // TOKENKEEPER_HTTP_TIMEOUT_MS and TOKENKEEPER_KEYCHAIN_TIMEOUT_MS shorten
    // the timeouts (tests).
    static EngineOptions fromEnvironment();
};

// The engine, assembled once: the profiles file, the presets, the secret
// store, network access, the token service, the refresh scheduler, the
// profile operations and the request tester's parts. The agent, the command
// line working alone, the desktop app, the benchmarks and the tests all build
// their engine here and nowhere else.
//
//   EngineOptions --> Engine
//                      |- PresetRegistry, ProfileStore (the profiles file)
//                      |- SecretStore (keychain, or injected; memory on demand)
//                      |- NetworkAccess --> AuthClient --> TokenService
//                      |                                      ^
//                      |- RefreshScheduler (start()) ---------'
//                      |- ProfileManager (add, edit, remove, log in, out)
//                      `- RequestHistory, newRequestRunner()
//
// A process that only answers one command never calls start(): it uses the
// token service directly. start() makes the process long-lived: the scheduler
// keeps every token fresh and follows the profiles file.
class Engine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Engine)

public:
    explicit Engine(EngineOptions options, QObject *parent = nullptr);
    ~Engine() override;

    const EngineOptions &options() const { return m_options; }
    const Clock &clock() const { return *m_clock; }
    const PresetRegistry &presets() const { return m_presets; }
    ProfileStore &profileStore() { return *m_store; }
    SecretStore &secrets() { return *m_secrets; }
    NetworkAccess &network() { return *m_network; }
    TokenService &tokens() { return *m_tokens; }
    RefreshScheduler &scheduler() { return *m_scheduler; }
    ProfileManager &profiles() { return *m_profiles; }
    // The request tester's history, read on first use; a file that could not
    // be read was set aside, and historyProblem() says so.
    RequestHistory &history();
    std::optional<Error> historyProblem() const { return m_historyProblem; }
    // A request tester's runner whose answers are kept up to `maxAnswerBytes`,
    // with tokens from `tokens` (this process's token service, or the agent).
    std::unique_ptr<RequestRunner> newRequestRunner(TokenProvider &tokens, qint64 maxAnswerBytes);

    // Loads the profiles and keeps their tokens fresh from now on, following
    // the profiles file as it changes and the network as it comes back.
    Result<void> start();
    bool started() const { return m_started; }
    // Reads the profiles file again now (a change made in this process; the
    // file watcher would a moment later). Keeps the last good list when the
    // file cannot be read.
    void reloadProfiles();
    // The entries of the profiles file refused at the last (re)load, each
    // with its reason (RefusedProfile); nothing is sent for them.
    const QList<RefusedProfile> &refusedProfiles() const { return m_refused; }
    // Shutting down, so that no rotated refresh token is lost on the way out:
    //
    //   stop(graceMs) --> the scheduler starts no renewal, the file is no
    //                     longer followed
    //     --> renewals under way finish (their own deadlines; at most graceMs)
    //     --> one more try to write every rotation the keychain refused
    //     --> done(): ok, or an error naming the profiles whose newest
    //                 refresh token could not be saved (log in to them again)
    void stop(int graceMs, std::function<void(Result<void>)> done);
    // Long enough for the slowest renewal to end on its own deadlines: a
    // rotating refresh's answer (3x the HTTP timeout once sent) and two
    // keychain calls; 75 s by default, inside systemd's 90 s.
    int stopGraceMs() const;

    // What lock() did, for the person who asked.
    struct LockOutcome
    {
        int dropped = 0; // profiles whose secrets left memory
        QStringList keptUnsaved; // names: their newest refresh token is in memory only
        bool memoryOnly = false; // no keychain: the memory store is where secrets are
        QString message() const;
    };
    // Drops every secret and access token from memory (TokenService::lock())
    // and pauses the background renewals until the next use reads the
    // keychain again (and meets its lock, if the keyring is locked).
    LockOutcome lock();
    bool isLocked() const;
    // Locks once nobody has used a token for `minutes` (0: never): a use is
    // noteUse() (the agent's requests, the window's copies and requests).
    // Looked at every 30 s, and by lockIfIdle().
    void setLockWhenIdle(int minutes);
    int lockWhenIdleMinutes() const { return m_lockWhenIdleMinutes; }
    void noteUse();
    // Locks if the idle time has come; answers whether it locked now.
    bool lockIfIdle();

    // No keychain: keeps secrets in this process's memory only, until it
    // ends (never on disk). What was known is forgotten and every profile is
    // checked again, so each needs a new login. Cannot be undone.
    void useMemorySecrets();
    bool usesMemorySecrets() const { return m_memorySecrets != nullptr; }

Q_SIGNALS:
    // refusedProfiles() changed: a hand edit of the file made an entry
    // unusable, or mended one.
    void refusedProfilesChanged();

private:
    void setContents(const ProfileStore::Contents &contents);

    void followProfilesFile();
    void watchNetwork();

    EngineOptions m_options;
    std::unique_ptr<Clock> m_ownClock;
    const Clock *m_clock;
    PresetRegistry m_presets;
    std::unique_ptr<ProfileStore> m_store;
    SecretStore *m_secrets;
    MemorySecretStore *m_memorySecrets = nullptr;
    ProfileLocks *m_locks = nullptr; // with a profileLocksDirectory; used once started
    NetworkAccess *m_network;
    AuthClient *m_auth;
    TokenService *m_tokens;
    WakeTimer *m_timer;
    RefreshScheduler *m_scheduler;
    ProfileManager *m_profiles;
    std::unique_ptr<RequestHistory> m_history;
    bool m_historyLoaded = false;
    std::optional<Error> m_historyProblem;
    QFileSystemWatcher *m_watcher = nullptr; // once started
    QTimer *m_reloadDebounce = nullptr;
    bool m_started = false;
    QList<RefusedProfile> m_refused;
    bool m_stopping = false;
    int m_lockWhenIdleMinutes = 0;
    QDateTime m_lastUse;
    QTimer *m_idleCheck = nullptr; // while locking when idle
};

} // namespace tokenkeeper
