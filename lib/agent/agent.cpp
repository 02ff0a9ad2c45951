#include "agent.h"

#include "agentprotocol.h"
#include "auth/authclient.h"
#include "auth/tokenservice.h"
#include "core/logging.h"
#include "net/httpclient.h"
#include "platform/waketimer.h"
#include "profiles/profilestore.h"
#include "scheduler/refreshscheduler.h"
#include "secrets/keychainsecretstore.h"
#include "secrets/memorysecretstore.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QNetworkAccessManager>
#include <QNetworkInformation>
#include <QPointer>
#include <QTimer>

namespace tokenkeeper {

namespace {

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

} // namespace

Agent::Setup Agent::Setup::fromEnvironment()
{
    Setup setup;
    setup.profilesPath = ProfileStore::defaultPath();
    setup.presetsDirectory = PresetRegistry::defaultUserDirectory();
    setup.keychainTimeoutMs = envInt("TOKENKEEPER_KEYCHAIN_TIMEOUT_MS", setup.keychainTimeoutMs);
    setup.httpTimeoutMs = envInt("TOKENKEEPER_HTTP_TIMEOUT_MS", setup.httpTimeoutMs);
    return setup;
}

Agent::Agent(Setup setup, QObject *parent)
    : QObject(parent)
    , m_setup(std::move(setup))
    , m_store(std::make_unique<ProfileStore>(m_setup.profilesPath))
    , m_nam(new QNetworkAccessManager(this))
    , m_http(new HttpClient(m_nam, {m_setup.httpTimeoutMs, 1024 * 1024}, this))
    , m_auth(new AuthClient(m_http, m_clock, this))
    , m_secrets(new KeychainSecretStore(m_setup.keychainService, m_setup.keychainTimeoutMs, this))
    , m_tokens(new TokenService(m_auth, m_secrets, m_presets, m_clock, this))
    , m_timer(new SystemWakeTimer(this))
    , m_scheduler(new RefreshScheduler(m_tokens, m_timer, m_clock, m_setup.policy, {}, this))
    , m_server(new QLocalServer(this))
    , m_watcher(new QFileSystemWatcher(this))
    , m_reloadDebounce(new QTimer(this))
{
    if (m_setup.socketPath.isEmpty()) {
        m_setup.socketPath = agentprotocol::socketPath();
    }
    if (m_setup.lockPath.isEmpty()) {
        m_setup.lockPath = agentprotocol::lockPath();
    }
    // A long-lived process keeps a rotated token whose keychain write failed.
    m_tokens->setLongLived(true);
    connect(m_tokens, &TokenService::keychainWriteFailed, this,
            [this](const QString &id, const Error &error) {
                qCWarning(lcSecrets).noquote() << error.message();
                m_scheduler->setKeychainWritePending(id, true);
            });
    connect(m_tokens, &TokenService::keychainWriteRecovered, this,
            [this](const QString &id) { m_scheduler->setKeychainWritePending(id, false); });

    m_reloadDebounce->setSingleShot(true);
    m_reloadDebounce->setInterval(200);
    connect(m_reloadDebounce, &QTimer::timeout, this, &Agent::reloadProfiles);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, m_reloadDebounce,
            qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_reloadDebounce,
            qOverload<>(&QTimer::start));
    connect(m_server, &QLocalServer::newConnection, this, &Agent::accept);
}

Agent::~Agent() = default;

Result<void> Agent::start()
{
    m_lock = std::make_unique<QLockFile>(m_setup.lockPath);
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
    m_presets = PresetRegistry::load(m_setup.presetsDirectory);
    for (const QString &problem : m_presets.problems()) {
        qCWarning(lcAuth).noquote() << problem;
    }
    auto profiles = m_store->load();
    if (!profiles) {
        return profiles.error();
    }
    QLocalServer::removeServer(m_setup.socketPath); // a dead agent's socket; we hold the lock
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_setup.socketPath)) {
        return Error(Error::Kind::Storage,
                     QStringLiteral("Cannot listen on %1: %2")
                         .arg(m_setup.socketPath, m_server->errorString()));
    }
    const QFileInfo file(m_setup.profilesPath);
    QDir().mkpath(file.absolutePath());
    m_watcher->addPath(file.absolutePath());
    if (file.exists()) {
        m_watcher->addPath(file.absoluteFilePath());
    }
    m_scheduler->setProfiles(*profiles);
    watchNetwork();
    return {};
}

void Agent::watchNetwork()
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

void Agent::stop(int graceMs, std::function<void()> done)
{
    m_server->close();
    QLocalServer::removeServer(m_setup.socketPath);
    m_timer->cancel();
    if (!m_tokens->busy()) {
        done();
        return;
    }
    // Let renewals under way store what they got: a rotated token must not be lost.
    auto finished = std::make_shared<bool>(false);
    const auto finish = [finished, done] {
        if (!*finished) {
            *finished = true;
            done();
        }
    };
    connect(m_tokens, &TokenService::idle, this, finish);
    QTimer::singleShot(graceMs, this, finish);
}

void Agent::reloadProfiles()
{
    auto profiles = m_store->load();
    if (!profiles) {
        qCWarning(lcProfiles).noquote() << profiles.error().message();
        return; // keep serving the last good list
    }
    const QString path = QFileInfo(m_setup.profilesPath).absoluteFilePath();
    if (QFileInfo::exists(path) && !m_watcher->files().contains(path)) {
        m_watcher->addPath(path); // QSaveFile replaces the file: watch the new one
    }
    m_scheduler->setProfiles(*profiles);
}

void Agent::useMemorySecrets()
{
    if (m_memorySecrets) {
        return;
    }
    qCWarning(lcSecrets) << "no keychain: secrets are kept in memory only until the app quits";
    m_memorySecrets = new MemorySecretStore(this);
    m_tokens->setSecretStore(m_memorySecrets);
    for (const Profile &profile : m_scheduler->profiles()) {
        m_tokens->forgetCached(profile.id);
        m_scheduler->recheck(profile.id);
    }
}

void Agent::accept()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
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
    QJsonObject json = m_scheduler->status(profile.id).value_or(ProfileStatus()).toJson();
    json.insert(QStringLiteral("name"), profile.name);
    json.insert(QStringLiteral("preset"), profile.preset);
    json.insert(QStringLiteral("id"), profile.id);
    return json;
}

void Agent::answerToken(QLocalSocket *socket, const QJsonValue &id, const Profile &profile,
                        const Result<TokenSet> &result)
{
    if (!result) {
        reply(socket, failure(id, result.error()));
        return;
    }
    QJsonObject answer = agentprotocol::tokenAnswer(profile.name, *result, m_clock.now());
    answer.insert(QStringLiteral("id"), id);
    answer.insert(QStringLiteral("ok"), true);
    reply(socket, answer);
}

void Agent::handle(QLocalSocket *socket, const QJsonObject &request)
{
    const QJsonValue id = request.value(QStringLiteral("id"));
    const QString command = request.value(QStringLiteral("cmd")).toString();
    QPointer<QLocalSocket> guard(socket);

    if (command == u"list" || command == u"status") {
        QJsonArray profiles;
        for (const Profile &profile : m_scheduler->profiles()) {
            profiles.append(command == u"list"
                                ? QJsonObject {{QStringLiteral("name"), profile.name},
                                               {QStringLiteral("preset"), profile.preset},
                                               {QStringLiteral("id"), profile.id}}
                                : statusOf(profile));
        }
        reply(socket,
              {{QStringLiteral("id"), id},
               {QStringLiteral("ok"), true},
               {QStringLiteral("profiles"), profiles}});
        return;
    }
    if (command == u"reload") {
        reloadProfiles();
        if (const auto profile =
                m_scheduler->find(request.value(QStringLiteral("profile")).toString())) {
            // Logged in or out by another process: what is in memory is stale.
            m_tokens->forgetCached(profile->id);
            m_scheduler->recheck(profile->id);
        }
        reply(socket, {{QStringLiteral("id"), id}, {QStringLiteral("ok"), true}});
        return;
    }

    const QString name = request.value(QStringLiteral("profile")).toString();
    auto profile = m_scheduler->find(name);
    if (!profile) {
        reloadProfiles(); // added a moment ago?
        profile = m_scheduler->find(name);
    }
    if (!profile) {
        reply(socket,
              failure(
                  id,
                  Error(Error::Kind::Usage, QStringLiteral("No profile named \"%1\".").arg(name))));
        return;
    }
    const Profile target = *profile;
    const auto answer = [this, guard, id, target](Result<TokenSet> result) {
        if (guard) {
            answerToken(guard, id, target, result);
        }
    };
    if (command == u"token" || command == u"header") {
        const int minValid =
            qBound(0, request.value(QStringLiteral("min_valid")).toInt(30), 365 * 24 * 3600);
        m_tokens->token(target, minValid, this, answer);
    } else if (command == u"refresh") {
        m_tokens->token(target, TokenSource::forceRenewal, this, answer);
    } else if (command == u"unauthorized") {
        m_tokens->reportUnauthorized(
            target, request.value(QStringLiteral("access_token")).toString(), this, answer);
    } else if (command == u"logout") {
        m_tokens->logout(target, this, [guard, id](Result<TokenService::LogoutOutcome> outcome) {
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
