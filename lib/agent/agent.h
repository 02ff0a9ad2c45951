#pragma once

#include "auth/presetregistry.h"
#include "core/clock.h"
#include "core/result.h"
#include "scheduler/refreshpolicy.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <memory>

class QFileSystemWatcher;
class QLocalServer;
class QLocalSocket;
class QLockFile;
class QNetworkAccessManager;
class QTimer;

namespace tokenkeeper {

class AuthClient;
class HttpClient;
class MemorySecretStore;
class ProfileStore;
class RefreshScheduler;
class SecretStore;
class TokenService;
class WakeTimer;
struct Profile;

// The headless heart of Tokenkeeper: the profiles, the token service and the
// refresh scheduler, served on a local socket (agentprotocol.h) to the
// command line. `tokenkeeper agent` runs it alone; the desktop app hosts it.
// One per user session: a second one cannot take the lock and says so.
class Agent final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Agent)

public:
    struct Setup
    {
        QString profilesPath;
        QString presetsDirectory;
        QString keychainService = QStringLiteral("Tokenkeeper");
        int keychainTimeoutMs = 10'000;
        int httpTimeoutMs = 15'000;
        RefreshPolicy policy;
        QString socketPath; // empty: agentprotocol::socketPath()
        QString lockPath; // empty: agentprotocol::lockPath()

        // The user's config directory and OS keychain; TOKENKEEPER_HTTP_TIMEOUT_MS
        // and TOKENKEEPER_KEYCHAIN_TIMEOUT_MS shorten the timeouts (tests).
        static Setup fromEnvironment();
    };

    explicit Agent(Setup setup, QObject *parent = nullptr);
    ~Agent() override;

    // Takes the lock, loads the profiles, starts refreshing and listening.
    Result<void> start();
    // Stops listening and waits (at most `graceMs`) for renewals and
    // keychain writes under way, then calls `done`.
    void stop(int graceMs, std::function<void()> done);

    RefreshScheduler &scheduler() { return *m_scheduler; }
    TokenService &tokens() { return *m_tokens; }
    const PresetRegistry &presets() const { return m_presets; }
    // The profiles file; after changing it, reloadProfiles() makes it count
    // at once (the file watcher would, a moment later).
    ProfileStore &profileStore() { return *m_store; }
    // Reads the profiles file again (it changed, or a request named a new one).
    void reloadProfiles();
    // No keychain: keeps secrets in this process's memory only, until it
    // ends (never on disk). What was known is forgotten and every profile is
    // checked again, so each needs a new login. Cannot be undone.
    void useMemorySecrets();
    bool usesMemorySecrets() const { return m_memorySecrets != nullptr; }

private:
    void accept();
    void readRequests(QLocalSocket *socket);
    void handle(QLocalSocket *socket, const QJsonObject &request);
    void answerToken(QLocalSocket *socket, const QJsonValue &id, const Profile &profile,
                     const Result<struct TokenSet> &result);
    static void reply(QLocalSocket *socket, QJsonObject answer);
    static QJsonObject failure(const QJsonValue &id, const Error &error);
    QJsonObject statusOf(const Profile &profile) const;
    void watchNetwork();

    Setup m_setup;
    SystemClock m_clock;
    PresetRegistry m_presets;
    std::unique_ptr<ProfileStore> m_store;
    std::unique_ptr<QLockFile> m_lock;
    QNetworkAccessManager *m_nam;
    HttpClient *m_http;
    AuthClient *m_auth;
    SecretStore *m_secrets;
    MemorySecretStore *m_memorySecrets = nullptr;
    TokenService *m_tokens;
    WakeTimer *m_timer;
    RefreshScheduler *m_scheduler;
    QLocalServer *m_server;
    QFileSystemWatcher *m_watcher;
    QTimer *m_reloadDebounce;
};

} // namespace tokenkeeper
