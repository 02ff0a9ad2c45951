#include "engine.h"

#include "auth/authclient.h"
#include "auth/tokenservice.h"
#include "core/logging.h"
#include "net/networkaccess.h"
#include "platform/waketimer.h"
#include "profilemanager.h"
#include "profiles/profilestore.h"
#include "profilevalidator.h"
#include "request/requesthistory.h"
#include "request/requestrunner.h"
#include "scheduler/refreshscheduler.h"
#include "secrets/keychainsecretstore.h"
#include "secrets/memorysecretstore.h"
#include "secrets/profilelocks.h"
#include "settings/settingsstore.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QNetworkInformation>
#include <QTimer>

#include <algorithm>

namespace tokenkeeper {

namespace {

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

} // namespace

EngineOptions EngineOptions::fromEnvironment()
{
    EngineOptions options;
    options.profilesPath = ProfileStore::defaultPath();
    options.presetsDirectory = PresetRegistry::defaultUserDirectory();
    options.historyPath = RequestHistory::defaultPath();
    options.settingsPath = SettingsStore::defaultPath();
    options.profileLocksDirectory = ProfileLocks::userDirectory();
    options.keychainTimeoutMs =
        envInt("TOKENKEEPER_KEYCHAIN_TIMEOUT_MS", options.keychainTimeoutMs);
    options.httpTimeoutMs = envInt("TOKENKEEPER_HTTP_TIMEOUT_MS", options.httpTimeoutMs);
    return options;
}

Engine::Engine(EngineOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_ownClock(m_options.clock ? nullptr : std::make_unique<SystemClock>())
    , m_clock(m_options.clock ? m_options.clock : m_ownClock.get())
    , m_presets(PresetRegistry::load(m_options.presetsDirectory))
    , m_store(std::make_unique<ProfileStore>(m_options.profilesPath))
    , m_secrets(m_options.secrets ? m_options.secrets
                                  : new KeychainSecretStore(m_options.keychainService,
                                                            m_options.keychainTimeoutMs, this))
    , m_network(new NetworkAccess({.tokenTimeoutMs = m_options.httpTimeoutMs,
                                   .tokenSpentAnswerTimeoutMs = m_options.spentAnswerTimeoutMs(),
                                   .apiTimeoutMs = m_options.requestTimeoutMs},
                                  this))
    , m_auth(new AuthClient(&m_network->tokenEndpoint(), *m_clock, this))
    , m_tokens(new TokenService(m_auth, m_secrets, m_presets, *m_clock, this))
    , m_timer(m_options.wakeTimer ? m_options.wakeTimer : new SystemWakeTimer(this))
    , m_scheduler(new RefreshScheduler(m_tokens, m_timer, *m_clock, m_options.policy, {}, this))
    , m_profiles(new ProfileManager(
          *m_store, m_presets, *m_tokens, [this]() -> RequestHistory & { return history(); }, this))
    , m_history(
          std::make_unique<RequestHistory>(m_options.historyPath, [path = m_options.settingsPath] {
              // Read again each time: the window or `tokenkeeper history` may have changed it.
              return path.isEmpty() ? RequestHistory::Keep::Everything
                                    : SettingsStore(path).settings().requestHistory;
          }))
{
    if (!m_options.profileLocksDirectory.isEmpty()) {
        m_locks = new ProfileLocks(m_options.profileLocksDirectory, this);
        m_locks->setWaitLimitMs(m_options.lockWaitLimitMs());
    }
    connect(m_tokens, &TokenService::keychainWriteFailed, this,
            [this](const QString &id, const Error &error) {
                qCWarning(lcSecrets).noquote() << error.message();
                m_scheduler->setKeychainWritePending(id, true);
            });
    connect(m_tokens, &TokenService::keychainWriteRecovered, this,
            [this](const QString &id) { m_scheduler->setKeychainWritePending(id, false); });
    // Locked: nothing renews in the background until a use reads the keychain.
    connect(m_tokens, &TokenService::locked, m_scheduler, [this] { m_scheduler->setPaused(true); });
    connect(m_tokens, &TokenService::unlocked, m_scheduler, [this] {
        m_lastUse = m_clock->now();
        m_scheduler->setPaused(false);
    });
    // What this process changes counts at once; the watcher hears the rest.
    connect(m_profiles, &ProfileManager::changed, this, [this] {
        if (m_started) {
            reloadProfiles();
        }
    });
}

Engine::~Engine() = default;

RequestHistory &Engine::history()
{
    if (!m_historyLoaded) {
        m_historyLoaded = true;
        if (const auto loaded = m_history->load(); !loaded) {
            m_historyProblem = loaded.error();
        }
    }
    return *m_history;
}

std::unique_ptr<RequestRunner> Engine::newRequestRunner(TokenProvider &tokens,
                                                        qint64 maxAnswerBytes)
{
    std::unique_ptr<HttpClient> http = m_network->newApiClient(maxAnswerBytes);
    auto runner = std::make_unique<RequestRunner>(*http, tokens, *m_clock);
    http.release()->setParent(runner.get()); // the runner's to keep
    return runner;
}

Result<void> Engine::start()
{
    for (const QString &problem : m_presets.problems()) {
        qCWarning(lcAuth).noquote() << problem;
    }
    auto contents = m_store->read();
    if (!contents) {
        return contents.error();
    }
    // A long-lived process keeps a rotated token whose keychain write failed.
    m_tokens->setLongLived(true);
    // Long-lived, it must not keep a profile's secrets in hand while a
    // command line working alone spends them: the one lock rule.
    m_tokens->setProfileLocks(m_locks);
    m_tokens->setName(tr("the agent"));
    followProfilesFile();
    m_started = true;
    setContents(*contents);
    watchNetwork();
    return {};
}

void Engine::followProfilesFile()
{
    // Only a long-lived process follows the file: a command never starts.
    m_watcher = new QFileSystemWatcher(this);
    m_reloadDebounce = new QTimer(this);
    m_reloadDebounce->setSingleShot(true);
    m_reloadDebounce->setInterval(200);
    connect(m_reloadDebounce, &QTimer::timeout, this, &Engine::reloadProfiles);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, m_reloadDebounce,
            qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_reloadDebounce,
            qOverload<>(&QTimer::start));
    const QFileInfo file(m_options.profilesPath);
    QDir().mkpath(file.absolutePath());
    m_watcher->addPath(file.absolutePath());
    if (file.exists()) {
        m_watcher->addPath(file.absoluteFilePath());
    }
}

void Engine::watchNetwork()
{
    // When the network comes back, retry what is backing off at once.
    if (!QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        return;
    }
    connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
            [this](QNetworkInformation::Reachability reachability) {
                if (reachability == QNetworkInformation::Reachability::Online) {
                    m_scheduler->networkReachable();
                }
            });
}

int Engine::stopGraceMs() const
{
    return m_options.spentAnswerTimeoutMs() + 2 * m_options.keychainTimeoutMs + 10'000;
}

void Engine::stop(int graceMs, std::function<void(Result<void>)> done)
{
    m_stopping = true;
    m_scheduler->stop();
    if (m_reloadDebounce) {
        m_reloadDebounce->stop();
    }
    const auto save = [this, done] {
        m_tokens->saveUnsaved(this, [this, done](const QStringList &unsaved) {
            if (unsaved.isEmpty()) {
                done({});
                return;
            }
            QStringList names;
            for (const QString &id : unsaved) {
                const auto profile = m_scheduler->find(id);
                names.append(profile ? profile->name : id);
            }
            done(Error(Error::Kind::Keychain,
                       tr("The newest refresh token of %1 could not be saved in the keychain; "
                          "log in to it again.")
                           .arg(names.join(QStringLiteral(", ")))));
        });
    };
    if (!m_tokens->busy()) {
        save();
        return;
    }
    // Let renewals under way store what they got: a rotated token must not be lost.
    auto finished = std::make_shared<bool>(false);
    const auto finish = [finished, save] {
        if (!*finished) {
            *finished = true;
            save();
        }
    };
    connect(m_tokens, &TokenService::idle, this, finish);
    QTimer::singleShot(graceMs, this, finish);
}

void Engine::reloadProfiles()
{
    if (m_stopping) {
        return;
    }
    auto contents = m_store->read();
    if (!contents) {
        qCWarning(lcProfiles).noquote() << contents.error().message();
        return; // keep serving the last good list
    }
    const QList<Profile> *profiles = &contents->profiles;
    const QString path = QFileInfo(m_options.profilesPath).absoluteFilePath();
    if (m_watcher && QFileInfo::exists(path) && !m_watcher->files().contains(path)) {
        m_watcher->addPath(path); // QSaveFile replaces the file: watch the new one
    }
    // A profile removed, or now standing for another server or account (an
    // edit in another process, which forgot the stored secrets there): what
    // this process holds for it must never be sent anywhere again.
    for (const Profile &before : m_scheduler->profiles()) {
        const auto after = std::find_if(profiles->cbegin(), profiles->cend(),
                                        [&before](const Profile &p) { return p.id == before.id; });
        if (after == profiles->cend() || !ProfileValidator::sameAccount(before, *after)) {
            m_tokens->forgetInMemory(before.id);
        }
    }
    setContents(*contents);
}

void Engine::setContents(const ProfileStore::Contents &contents)
{
    m_scheduler->setProfiles(contents.profiles);
    const auto reasons = [](const QList<RefusedProfile> &refused) {
        QStringList list;
        for (const RefusedProfile &entry : refused) {
            list.append(entry.reason);
        }
        return list;
    };
    if (reasons(contents.refused) != reasons(m_refused)) {
        m_refused = contents.refused;
        Q_EMIT refusedProfilesChanged();
    }
}

QString Engine::LockOutcome::message() const
{
    QString text = dropped == 0
        ? tr("Locked: no secret or token was in memory. The next use reads the keychain.")
        : tr("Locked: the secrets and tokens of %1 were dropped from memory; the next use "
             "reads the keychain again.")
              .arg(dropped == 1 ? tr("1 profile") : tr("%1 profiles").arg(dropped));
    if (!keptUnsaved.isEmpty()) {
        text += u' ';
        text += tr("Kept in memory: the newest refresh token of %1, which the keychain has not "
                   "stored yet (dropping it would log you out); it is written as soon as the "
                   "keychain takes it.")
                    .arg(keptUnsaved.join(QStringLiteral(", ")));
    }
    if (memoryOnly) {
        text += u' ';
        text += tr("There is no keychain: the secrets stay in this process's memory store "
                   "until it ends.");
    }
    return text;
}

Engine::LockOutcome Engine::lock()
{
    LockOutcome outcome;
    outcome.dropped = int(m_tokens->lock().size());
    for (const QString &id : m_tokens->unsavedRotations()) {
        const auto profile = m_scheduler->find(id);
        outcome.keptUnsaved.append(profile ? profile->name : id);
    }
    outcome.memoryOnly = usesMemorySecrets();
    return outcome;
}

bool Engine::isLocked() const
{
    return m_tokens->isLocked();
}

void Engine::setLockWhenIdle(int minutes)
{
    m_lockWhenIdleMinutes = qMax(0, minutes);
    noteUse();
    if (m_lockWhenIdleMinutes == 0) {
        delete std::exchange(m_idleCheck, nullptr);
        return;
    }
    if (!m_idleCheck) {
        m_idleCheck = new QTimer(this);
        m_idleCheck->setInterval(30'000);
        connect(m_idleCheck, &QTimer::timeout, this, &Engine::lockIfIdle);
        m_idleCheck->start();
    }
}

void Engine::noteUse()
{
    m_lastUse = m_clock->now();
}

bool Engine::lockIfIdle()
{
    if (m_lockWhenIdleMinutes == 0 || m_tokens->isLocked()
        || m_lastUse.secsTo(m_clock->now()) < qint64(m_lockWhenIdleMinutes) * 60) {
        return false;
    }
    qCInfo(lcAuth) << "nothing used for" << m_lockWhenIdleMinutes << "min: locking";
    lock();
    return true;
}

void Engine::useMemorySecrets()
{
    if (m_memorySecrets) {
        return;
    }
    qCWarning(lcSecrets) << "no keychain: secrets are kept in memory only until the app quits";
    m_memorySecrets = new MemorySecretStore(this);
    m_secrets = m_memorySecrets;
    m_tokens->setSecretStore(m_memorySecrets);
    for (const Profile &profile : m_scheduler->profiles()) {
        m_tokens->forgetCached(profile.id);
        m_scheduler->recheck(profile.id);
    }
}

} // namespace tokenkeeper
