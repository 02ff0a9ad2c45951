// bench_refresh_storm: N profiles, all due at once, against the demo server.
//
//   untimed setup
//     start tokenkeeper-demo-server (separate process, --port 0 --port-file)
//     POST /_emulator/config: OAuth 2.0 tokens live a day
//     N oauth2-client-credentials profiles in a fresh profiles file
//     N keychain entries (KeychainSecretStore, service "Tokenkeeper bench"), 16 at a time
//   timed, --rounds times (3), each with a fresh Agent (nothing in memory)
//     a 1 ms precise QTimer records the longest gap between its ticks
//     Agent::start() (lock, presets, profiles file, setProfiles(all N): every one due)
//     ... until every profile's status is Valid (RefreshScheduler::statusChanged)
//   report: the median time until all are fresh, the longest stall of any round (the first,
//   cold one included: plugins, the keychain's first connection), peak RSS of the whole run
//     refresh_storm profiles=N rounds=3 all_fresh_ms=… max_stall_ms=… peak_rss_mb=… …
//
// Exit status 0 when every profile became valid within --timeout-ms (default 60 s) each round.
//
// Why OAuth 2.0 client credentials: it renews by logging in again with the client secret, so a
// renewal is one keychain read and one token request, with no rotated token to write back (the
// keychain entry is unchanged), and the token's lifetime comes from the server's expires_in, which
// the admin API sets. Squirro would cost the same, but its lifetime is the profile's assumption.

#include "agent/agent.h"
#include "auth/credentials.h"
#include "auth/tokenservice.h"
#include "democredentials.h"
#include "profiles/profilestore.h"
#include "scheduler/profilestatus.h"
#include "scheduler/refreshscheduler.h"
#include "secrets/keychainsecretstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace tokenkeeper::bench {

namespace {

const QString keychainService = QStringLiteral("Tokenkeeper bench");
constexpr int keychainWriteConcurrency = 16;
constexpr qint64 tokenLifetimeSeconds = 24 * 3600;

// A line of /proc/self/status ("VmHWM:    12345 kB") in MiB, or -1.
double procStatusMiB(const QByteArray &field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) {
        return -1;
    }
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(QByteArray(field + ':'))) {
            const QByteArray kb = line.mid(field.size() + 1).trimmed().split(' ').value(0);
            return kb.toDouble() / 1024.0;
        }
    }
    return -1;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

class RefreshStorm final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RefreshStorm)

public:
    struct Options
    {
        int profiles = 1000;
        QString demoServer;
        int timeoutMs = 60'000;
        int keychainTimeoutMs = 10'000; // the agent's per-call keychain deadline
        int rounds = 3; // fresh agents one after the other; figures are medians
    };

    explicit RefreshStorm(Options options, QObject *parent = nullptr)
        : QObject(parent)
        , m_options(std::move(options))
        , m_nam(new QNetworkAccessManager(this))
        , m_server(new QProcess(this))
        , m_ticker(new QTimer(this))
        , m_deadline(new QTimer(this))
    { }
    ~RefreshStorm() override
    {
        delete m_agent; // releases its lock before the temporary directory goes
        if (m_server->state() != QProcess::NotRunning) {
            m_server->terminate();
            m_server->waitForFinished(2000);
        }
    }

    void start() { startServer(); }

Q_SIGNALS:
    void finished(int exitCode);

private:
    void fail(const QString &why)
    {
        err() << "bench_refresh_storm: " << why << Qt::endl;
        Q_EMIT finished(2);
    }

    // --- setup (untimed) ----------------------------------------------------

    void startServer()
    {
        if (!m_dir.isValid()) {
            fail(QStringLiteral("no temporary directory"));
            return;
        }
        const QString portFile = m_dir.filePath(QStringLiteral("port"));
        m_server->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_server->setStandardOutputFile(QProcess::nullDevice());
        m_server->start(m_options.demoServer,
                        {QStringLiteral("--port"), QStringLiteral("0"),
                         QStringLiteral("--port-file"), portFile});
        if (!m_server->waitForStarted(5000)) {
            fail(QStringLiteral("cannot start %1: %2")
                     .arg(m_options.demoServer, m_server->errorString()));
            return;
        }
        auto *poll = new QTimer(this);
        auto waited = std::make_shared<QElapsedTimer>();
        waited->start();
        connect(poll, &QTimer::timeout, this, [this, poll, portFile, waited] {
            QFile file(portFile);
            if (file.open(QIODevice::ReadOnly)) {
                const int port = file.readAll().trimmed().toInt();
                if (port > 0) {
                    poll->deleteLater();
                    m_base = QStringLiteral("http://127.0.0.1:%1").arg(port);
                    configureServer();
                    return;
                }
            }
            if (waited->elapsed() > 10'000 || m_server->state() == QProcess::NotRunning) {
                poll->deleteLater();
                fail(QStringLiteral("the demo server wrote no port file"));
            }
        });
        poll->start(20);
    }

    void adminRequest(const QByteArray &method, const QString &path, const QJsonObject &body,
                      std::function<void(QJsonObject)> done)
    {
        QNetworkRequest request(QUrl(m_base + path));
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        QNetworkReply *reply =
            m_nam->sendCustomRequest(request, method, QJsonDocument(body).toJson());
        connect(reply, &QNetworkReply::finished, this, [this, reply, path, done] {
            reply->deleteLater();
            const QJsonDocument answer = QJsonDocument::fromJson(reply->readAll());
            if (reply->error() != QNetworkReply::NoError || !answer.isObject()) {
                fail(QStringLiteral("%1 failed: %2").arg(path, reply->errorString()));
                return;
            }
            done(answer.object());
        });
    }

    void configureServer()
    {
        const QJsonObject config {{QStringLiteral("lifetimes"),
                                   QJsonObject {{QStringLiteral("oauth2"), tokenLifetimeSeconds}}}};
        adminRequest("POST", QStringLiteral("/_emulator/config"), config,
                     [this](const QJsonObject &) { createProfiles(); });
    }

    void createProfiles()
    {
        QElapsedTimer took;
        took.start();
        m_profilesPath = m_dir.filePath(QStringLiteral("config/profiles.json"));
        ProfileStore store(m_profilesPath);
        for (int i = 0; i < m_options.profiles; ++i) {
            Profile profile;
            profile.name = QStringLiteral("bench-%1").arg(i, 4, 10, QLatin1Char('0'));
            profile.preset = QStringLiteral("oauth2-client-credentials");
            profile.baseUrl = QUrl(m_base);
            profile.clientId = QLatin1String(emulator::demo::oauthClientId);
            auto added = store.add(profile);
            if (!added) {
                fail(added.error().message());
                return;
            }
            m_profiles.append(*added);
        }
        err() << "setup: " << m_profiles.size() << " profiles written in " << took.elapsed()
              << " ms" << Qt::endl;
        m_secrets = new KeychainSecretStore(keychainService, 30'000, this);
        m_setupTimer.start();
        for (int i = 0; i < keychainWriteConcurrency; ++i) {
            writeNextSecret();
        }
    }

    void writeNextSecret()
    {
        if (m_nextSecret >= m_profiles.size()) {
            return;
        }
        const Profile &profile = m_profiles.at(m_nextSecret++);
        Credentials credentials;
        credentials.clientSecret = QLatin1String(emulator::demo::oauthClientSecret);
        m_secrets->write(TokenService::secretKey(profile), credentials.toJson(), this,
                         [this](Result<void> written) {
                             if (m_failed) {
                                 return;
                             }
                             if (!written) {
                                 m_failed = true;
                                 fail(written.error().message());
                                 return;
                             }
                             if (++m_secretsWritten == m_profiles.size()) {
                                 err() << "setup: " << m_secretsWritten
                                       << " keychain entries written in " << m_setupTimer.elapsed()
                                       << " ms" << Qt::endl;
                                 QTimer::singleShot(2000, this, &RefreshStorm::startStorm);
                                 return;
                             }
                             writeNextSecret();
                         });
    }

    // --- timed, once per round -------------------------------------------------

    struct Round
    {
        bool allFresh = false;
        qint64 allFreshNs = -1'000'000;
        qint64 firstFreshNs = -1'000'000;
        qint64 allReadNs = -1'000'000;
        qint64 startCallNs = 0;
        qint64 maxStallNs = 0;
        qsizetype valid = 0;
        int failures = 0;
    };

    void startStorm()
    {
        QElapsedTimer took;
        took.start();
        const auto loaded = ProfileStore(m_profilesPath).load();
        err() << "setup: the profiles file (" << (loaded ? loaded->size() : -1)
              << " profiles) loads in " << took.nsecsElapsed() / 1000 << " us" << Qt::endl;
        m_rssBeforeMiB = procStatusMiB("VmRSS");

        // The stall probe: a 1 ms timer that should tick every millisecond.
        m_ticker->setTimerType(Qt::PreciseTimer);
        m_ticker->setInterval(1);
        connect(m_ticker, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_round.maxStallNs = qMax(m_round.maxStallNs, now - m_lastTickNs - 1'000'000);
            m_lastTickNs = now;
        });
        m_deadline->setSingleShot(true);
        m_deadline->setInterval(m_options.timeoutMs);
        connect(m_deadline, &QTimer::timeout, this, [this] { finishRound(false); });
        m_clock.start();
        startRound();
    }

    // A fresh agent (nothing in memory) over the same profiles and keychain entries.
    void startRound()
    {
        m_round = Round();
        m_roundDone = false;
        m_valid.clear();
        m_renewing.clear();

        Agent::Setup setup;
        setup.profilesPath = m_profilesPath;
        setup.presetsDirectory = m_dir.filePath(QStringLiteral("presets")); // none there
        setup.keychainService = keychainService;
        setup.keychainTimeoutMs = m_options.keychainTimeoutMs;
        setup.socketPath = m_dir.filePath(QStringLiteral("agent.sock"));
        setup.lockPath = m_dir.filePath(QStringLiteral("agent.lock"));
        m_agent = new Agent(setup, this);
        connect(&m_agent->scheduler(), &RefreshScheduler::statusChanged, this,
                &RefreshStorm::statusChanged);

        m_lastTickNs = m_clock.nsecsElapsed();
        m_ticker->start();
        // Let the probe tick a few times, then start the agent from the event loop, so the
        // synchronous part of start() (lock, files, setProfiles) counts as a stall too.
        QTimer::singleShot(20, this, [this] {
            m_deadline->start();
            m_startedNs = m_clock.nsecsElapsed();
            auto started = m_agent->start();
            m_round.startCallNs = m_clock.nsecsElapsed() - m_startedNs;
            if (!started) {
                fail(started.error().message());
            }
        });
    }

    void statusChanged(const QString &profileId)
    {
        if (m_roundDone) {
            return;
        }
        const auto status = m_agent->scheduler().status(profileId);
        if (!status) {
            return;
        }
        const qint64 now = m_clock.nsecsElapsed() - m_startedNs;
        switch (status->state) {
        case ProfileStatus::State::Valid:
            if (m_valid.isEmpty()) {
                m_round.firstFreshNs = now;
            }
            m_valid.insert(profileId);
            break;
        case ProfileStatus::State::Refreshing:
            // Renewing starts once the keychain entry is read: the split between the two.
            m_renewing.insert(profileId);
            if (m_renewing.size() == m_profiles.size()) {
                m_round.allReadNs = now;
            }
            break;
        default:
            m_valid.remove(profileId);
            ++m_round.failures;
            if (m_firstFailure.isEmpty()) {
                m_firstFailure =
                    ProfileStatus::stateName(status->state) + QStringLiteral(": ") + status->reason;
            }
            break;
        }
        if (m_valid.size() == m_profiles.size()) {
            m_round.allFreshNs = now;
            finishRound(true);
        }
    }

    void finishRound(bool allFresh)
    {
        if (m_roundDone) {
            return;
        }
        m_roundDone = true;
        m_ticker->stop();
        m_deadline->stop();
        m_round.allFresh = allFresh;
        m_round.valid = m_valid.size();
        m_rounds.append(m_round);
        err() << "round " << m_rounds.size()
              << ": all_fresh_ms=" << (allFresh ? m_round.allFreshNs / 1'000'000 : -1)
              << " first_fresh_ms=" << m_round.firstFreshNs / 1'000'000
              << " all_read_ms=" << m_round.allReadNs / 1'000'000
              << " max_stall_ms=" << QString::number(m_round.maxStallNs / 1e6, 'f', 1)
              << " start_call_ms=" << QString::number(m_round.startCallNs / 1e6, 'f', 1)
              << " valid=" << m_round.valid << " failures=" << m_round.failures << Qt::endl;
        m_agent->stop(1500, [this, allFresh] {
            QTimer::singleShot(0, this, [this, allFresh] {
                delete m_agent;
                m_agent = nullptr;
                if (allFresh && m_rounds.size() < m_options.rounds) {
                    QTimer::singleShot(500, this, &RefreshStorm::startRound);
                } else {
                    report();
                }
            });
        });
    }

    void report()
    {
        const auto median = [this](auto pick) {
            QList<qint64> values;
            for (const Round &round : std::as_const(m_rounds)) {
                values.append(pick(round));
            }
            std::sort(values.begin(), values.end());
            return values.at(values.size() / 2);
        };
        const auto longest = [this](auto pick) {
            qint64 most = 0;
            for (const Round &round : std::as_const(m_rounds)) {
                most = qMax(most, pick(round));
            }
            return most;
        };
        const auto each = [this](auto pick) {
            QStringList values;
            for (const Round &round : std::as_const(m_rounds)) {
                values.append(pick(round));
            }
            return values.join(u',');
        };
        const bool allFresh = std::all_of(m_rounds.cbegin(), m_rounds.cend(),
                                          [](const Round &round) { return round.allFresh; });
        const auto freshMs = [](const Round &round) {
            return round.allFresh ? round.allFreshNs / 1'000'000 : qint64(-1);
        };
        const auto stallUs = [](const Round &round) { return round.maxStallNs / 1000; };

        QTextStream out(stdout);
        out << "refresh_storm profiles=" << m_profiles.size() << " rounds=" << m_rounds.size()
            << " all_fresh_ms=" << (allFresh ? median(freshMs) : -1)
            << " max_stall_ms=" << QString::number(longest(stallUs) / 1e3, 'f', 1)
            << " peak_rss_mb=" << QString::number(procStatusMiB("VmHWM"), 'f', 1)
            << " rss_before_mb=" << QString::number(m_rssBeforeMiB, 'f', 1) << " all_fresh_ms_each="
            << each([&](const Round &round) { return QString::number(freshMs(round)); })
            << " max_stall_ms_each=" << each([](const Round &round) {
                   return QString::number(round.maxStallNs / 1e6, 'f', 1);
               })
            << " all_read_ms_each="
            << each([](const Round &round) { return QString::number(round.allReadNs / 1'000'000); })
            << " start_call_ms_each=" << each([](const Round &round) {
                   return QString::number(round.startCallNs / 1e6, 'f', 1);
               })
            << " valid=" << m_rounds.constLast().valid << Qt::endl;
        if (!m_firstFailure.isEmpty()) {
            err() << "first failure: " << m_firstFailure << Qt::endl;
        }
        const int code = allFresh ? 0 : 1;
        // The server's count of issued OAuth 2.0 tokens, as a cross-check, then stop.
        adminRequest("GET", QStringLiteral("/_emulator/stats"), {},
                     [this, code](const QJsonObject &stats) {
                         err() << "demo server: oauth2 logins="
                               << stats.value(QStringLiteral("logins"))
                                      .toObject()
                                      .value(QStringLiteral("oauth2"))
                                      .toInt()
                               << Qt::endl;
                         Q_EMIT finished(code);
                     });
    }

    Options m_options;
    QTemporaryDir m_dir;
    QNetworkAccessManager *m_nam;
    QProcess *m_server;
    QTimer *m_ticker;
    QString m_base;
    QString m_profilesPath;
    QList<Profile> m_profiles;
    KeychainSecretStore *m_secrets = nullptr;
    qsizetype m_nextSecret = 0;
    qsizetype m_secretsWritten = 0;
    bool m_failed = false;
    QElapsedTimer m_setupTimer;

    Agent *m_agent = nullptr;
    QTimer *m_deadline;
    QElapsedTimer m_clock;
    qint64 m_lastTickNs = 0;
    qint64 m_startedNs = 0;
    double m_rssBeforeMiB = -1;
    Round m_round;
    bool m_roundDone = false;
    QList<Round> m_rounds;
    QSet<QString> m_valid;
    QSet<QString> m_renewing;
    QString m_firstFailure;
};

} // namespace

} // namespace tokenkeeper::bench

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_refresh_storm"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Times N profiles all due at once against the demo server."));
    parser.addHelpOption();
    const QCommandLineOption profilesOption(QStringLiteral("profiles"),
                                            QStringLiteral("Number of profiles (1000)."),
                                            QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption serverOption(
        QStringLiteral("demo-server"),
        QStringLiteral("The tokenkeeper-demo-server binary (default: next to the build)."),
        QStringLiteral("PATH"));
    const QCommandLineOption timeoutOption(
        QStringLiteral("timeout-ms"),
        QStringLiteral("Give up when not all are fresh by then (60000)."), QStringLiteral("MS"),
        QStringLiteral("60000"));
    const QCommandLineOption keychainTimeoutOption(
        QStringLiteral("keychain-timeout-ms"),
        QStringLiteral("The agent's keychain deadline per call (10000)."), QStringLiteral("MS"),
        QStringLiteral("10000"));
    const QCommandLineOption roundsOption(
        QStringLiteral("rounds"),
        QStringLiteral("Storms, each with a fresh agent; the figures are medians (3)."),
        QStringLiteral("N"), QStringLiteral("3"));
    parser.addOptions(
        {profilesOption, serverOption, timeoutOption, keychainTimeoutOption, roundsOption});
    parser.process(app);

    tokenkeeper::bench::RefreshStorm::Options options;
    bool ok = false;
    options.profiles = parser.value(profilesOption).toInt(&ok);
    if (!ok || options.profiles < 1) {
        std::fputs("--profiles takes a positive number\n", stderr);
        return 2;
    }
    options.timeoutMs = parser.value(timeoutOption).toInt(&ok);
    if (!ok || options.timeoutMs < 1) {
        std::fputs("--timeout-ms takes a positive number\n", stderr);
        return 2;
    }
    options.keychainTimeoutMs = parser.value(keychainTimeoutOption).toInt(&ok);
    if (!ok || options.keychainTimeoutMs < 1) {
        std::fputs("--keychain-timeout-ms takes a positive number\n", stderr);
        return 2;
    }
    options.rounds = parser.value(roundsOption).toInt(&ok);
    if (!ok || options.rounds < 1) {
        std::fputs("--rounds takes a positive number\n", stderr);
        return 2;
    }
    options.demoServer = parser.value(serverOption);
    if (options.demoServer.isEmpty()) {
        options.demoServer = qEnvironmentVariable("TOKENKEEPER_DEMO_SERVER");
    }
    if (options.demoServer.isEmpty()) {
        options.demoServer = QCoreApplication::applicationDirPath()
            + QStringLiteral("/../app/demo-server/tokenkeeper-demo-server");
    }

    tokenkeeper::bench::RefreshStorm storm(options);
    QObject::connect(
        &storm, &tokenkeeper::bench::RefreshStorm::finished, &app,
        [](int code) { QCoreApplication::exit(code); }, Qt::QueuedConnection);
    QTimer::singleShot(0, &storm, &tokenkeeper::bench::RefreshStorm::start);
    return app.exec();
}

#include "bench_refresh_storm.moc"
