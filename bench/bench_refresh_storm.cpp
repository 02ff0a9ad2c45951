// bench_refresh_storm: N profiles, all due at once, against the demo server.
//
//   untimed setup
//     start tokenkeeper-demo-server (separate process, --port 0 --port-file)
//     POST /_emulator/config: OAuth 2.0 tokens live 20 s (renewed 10 to 11 s after issue)
//     N oauth2-client-credentials profiles in a fresh profiles file
//     N keychain entries (KeychainSecretStore, service "Tokenkeeper bench"), 16 at a time
//   timed: a 1 ms precise QTimer records the longest gap between its ticks (the stall)
//   cold, --rounds times (3), each with a fresh Agent (nothing in memory)
//     Agent::start() (lock, profiles file, setProfiles(all N): every one due)
//     ... until every profile's status is Valid (RefreshScheduler::statusChanged)
//     bound by the keychain: N reads, one at a time (Qt Keychain runs one job at a time)
//   warm, --warm-rounds times (3), on the last cold round's agent, kept running
//     "suspend": the agent's WakeTimer is silenced (blockSignals) until every profile is due
//     "resume": its fired() at one instant, the late wake-up (RefreshScheduler::onWake):
//       checkDue() renews every profile at once, from the credentials the agent keeps in memory
//     ... until every profile is Valid with lastRefresh at or after that instant
//   report, cold and warm apart: the median time until all are fresh, the longest stall of any
//   round (the first, cold one included: plugins, the keychain's first connection); peak RSS of
//   the whole run
//     refresh_storm profiles=N cold_all_fresh_ms=… cold_max_stall_ms=… warm_all_fresh_ms=…
//       warm_max_stall_ms=… peak_rss_mb=… …
//
// Exit status 0 when every profile became valid within --timeout-ms (default 60 s) each round.
//
// Why OAuth 2.0 client credentials: it renews by logging in again with the client secret, so a
// renewal is one keychain read (cold) and one token request, with no rotated token to write back
// (the keychain entry is unchanged), and the token's lifetime comes from the server's expires_in,
// which the admin API sets. Squirro would cost the same, but its lifetime is the profile's
// assumption. Why 20 s: the policy renews such a token about half-way (lead = lifetime / 2, the
// jitter under a second: none), so every profile is due some 10 to 11 s after its renewal; a storm
// takes far less, and a warm round waits that long for the next.
//
// The stall probe's longest gap is printed per round with when it began (from the round's start)
// and how many profiles were fresh by then, to tell the synchronous start (Agent::start(), the
// wake-up's checkDue()) from the replies coming back.

#include "agent/agent.h"
#include "auth/credentials.h"
#include "auth/tokenservice.h"
#include "democredentials.h"
#include "engine/engine.h"
#include "platform/waketimer.h"
#include "profiles/profilestore.h"
#include "scheduler/profilestatus.h"
#include "scheduler/refreshscheduler.h"
#include "secrets/keychainsecretstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
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
#include <functional>
#include <iterator>
#include <memory>

namespace tokenkeeper::bench {

namespace {

const QString keychainService = QStringLiteral("Tokenkeeper bench");
constexpr int keychainWriteConcurrency = 16;
constexpr qint64 tokenLifetimeSeconds = 20;
// A warm round starts this long after the last profile became due.
constexpr qint64 dueMarginMs = 250;

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
        int rounds = 3; // cold: fresh agents one after the other; figures are medians
        int warmRounds = 3; // warm: storms on the last agent; figures are medians
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
        delete m_engine; // and its agent, which releases its lock before the temporary directory
                         // goes
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
        bool warm = false;
        bool allFresh = false;
        qint64 allFreshNs = -1'000'000;
        qint64 firstFreshNs = -1'000'000;
        qint64 allRenewingNs = -1'000'000; // cold: every keychain entry read
        qint64 callNs = 0; // cold: Agent::start(); warm: the wake-up (checkDue) call
        qint64 maxStallNs = 0;
        qint64 maxStallAtNs = 0; // when the longest stall began, from the round's start
        qsizetype validAtStall = 0; // profiles fresh by then
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
            if (now - m_lastTickNs - 1'000'000 > m_round.maxStallNs) {
                m_round.maxStallNs = now - m_lastTickNs - 1'000'000;
                m_round.maxStallAtNs = m_lastTickNs - m_startedNs;
                m_round.validAtStall = m_valid.size();
            }
            m_lastTickNs = now;
        });
        m_deadline->setSingleShot(true);
        m_deadline->setInterval(m_options.timeoutMs);
        connect(m_deadline, &QTimer::timeout, this, [this] { finishRound(false); });
        m_clock.start();
        startColdRound();
    }

    void beginRound(bool warm)
    {
        m_round = Round();
        m_round.warm = warm;
        m_roundDone = false;
        m_valid.clear();
        m_renewing.clear();
        m_lastTickNs = m_clock.nsecsElapsed();
        m_startedNs = m_lastTickNs; // until the trigger
        m_ticker->start();
    }

    // A fresh agent (nothing in memory) over the same profiles and keychain entries.
    void startColdRound()
    {
        EngineOptions options;
        options.profilesPath = m_profilesPath;
        options.presetsDirectory = m_dir.filePath(QStringLiteral("presets")); // none there
        options.historyPath = m_dir.filePath(QStringLiteral("history.json"));
        options.keychainService = keychainService;
        options.keychainTimeoutMs = m_options.keychainTimeoutMs;
        // As the real agent: each renewal holds the profile's lock file
        // (under $TMPDIR here; the agent's are in $XDG_RUNTIME_DIR, a tmpfs).
        options.profileLocksDirectory = m_dir.filePath(QStringLiteral("locks"));
        m_engine = new Engine(options, this);
        m_agent = new Agent(*m_engine,
                            {m_dir.filePath(QStringLiteral("agent.sock")),
                             m_dir.filePath(QStringLiteral("agent.lock")), Agent::Limits()},
                            m_engine);
        connect(&m_engine->scheduler(), &RefreshScheduler::statusChanged, this,
                &RefreshStorm::statusChanged);

        beginRound(false);
        // Let the probe tick a few times, then start the agent from the event loop, so the
        // synchronous part of start() (lock, files, setProfiles) counts as a stall too.
        QTimer::singleShot(20, this, [this] {
            m_deadline->start();
            m_trigger = QDateTime::currentDateTimeUtc();
            m_startedNs = m_clock.nsecsElapsed();
            auto started = m_agent->start();
            m_round.callNs = m_clock.nsecsElapsed() - m_startedNs;
            if (!started) {
                fail(started.error().message());
            }
        });
    }

    // The running agent "sleeps": its wake timer says nothing until every profile is due.
    void scheduleWarmRound()
    {
        QDateTime latest;
        for (const Profile &profile : std::as_const(m_profiles)) {
            const auto status = m_engine->scheduler().status(profile.id);
            if (!status || !status->nextRefresh.isValid()) {
                fail(QStringLiteral("%1 has no next refresh").arg(profile.name));
                return;
            }
            if (!latest.isValid() || status->nextRefresh > latest) {
                latest = status->nextRefresh;
            }
        }
        const qint64 waitMs = QDateTime::currentDateTimeUtc().msecsTo(latest) + dueMarginMs;
        if (waitMs <= 0) {
            startWarmRound();
            return;
        }
        if (!m_waitingForDue) {
            m_waitingForDue = true;
            err() << "warm round " << warmRounds() + 1 << ": every profile due in " << waitMs
                  << " ms; the wake timer is held until then" << Qt::endl;
        }
        // Precise: a coarse timer this long may fire half a second early. Looked at again then.
        QTimer::singleShot(waitMs, Qt::PreciseTimer, this, &RefreshStorm::scheduleWarmRound);
    }

    // The late wake-up after a suspend (or a clock jump): every profile due at one instant.
    void startWarmRound()
    {
        m_waitingForDue = false;
        beginRound(true);
        QTimer::singleShot(20, this, [this] {
            m_deadline->start();
            m_trigger = QDateTime::currentDateTimeUtc();
            m_startedNs = m_clock.nsecsElapsed();
            m_wake->blockSignals(false);
            Q_EMIT m_wake->fired(); // RefreshScheduler::onWake -> checkDue()
            m_wake->blockSignals(true);
            m_round.callNs = m_clock.nsecsElapsed() - m_startedNs;
        });
    }

    void statusChanged(const QString &profileId)
    {
        if (m_roundDone) {
            return;
        }
        const auto status = m_engine->scheduler().status(profileId);
        if (!status) {
            return;
        }
        const qint64 now = m_clock.nsecsElapsed() - m_startedNs;
        switch (status->state) {
        case ProfileStatus::State::Valid:
            // Warm: the token obtained in this round, not the one from before it.
            if (!status->lastRefresh.isValid() || status->lastRefresh < m_trigger) {
                break;
            }
            if (m_valid.isEmpty()) {
                m_round.firstFreshNs = now;
            }
            m_valid.insert(profileId);
            break;
        case ProfileStatus::State::Refreshing:
            // Cold: renewing starts once the keychain entry is read: the split between the two.
            m_renewing.insert(profileId);
            if (m_renewing.size() == m_profiles.size()) {
                m_round.allRenewingNs = now;
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

    qsizetype coldRounds() const
    {
        return std::count_if(m_rounds.cbegin(), m_rounds.cend(),
                             [](const Round &round) { return !round.warm; });
    }
    qsizetype warmRounds() const { return m_rounds.size() - coldRounds(); }

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
        const bool warm = m_round.warm;
        err() << (warm ? "warm round " : "cold round ") << (warm ? warmRounds() : coldRounds())
              << ": all_fresh_ms=" << (allFresh ? m_round.allFreshNs / 1'000'000 : -1)
              << " first_fresh_ms=" << m_round.firstFreshNs / 1'000'000
              << " all_renewing_ms=" << m_round.allRenewingNs / 1'000'000
              << " max_stall_ms=" << QString::number(m_round.maxStallNs / 1e6, 'f', 1) << " (from "
              << QString::number(m_round.maxStallAtNs / 1e6, 'f', 1) << " ms, "
              << m_round.validAtStall << " fresh then)"
              << (warm ? " check_due_ms=" : " start_call_ms=")
              << QString::number(m_round.callNs / 1e6, 'f', 1) << " valid=" << m_round.valid
              << " failures=" << m_round.failures
              << " rss_mb=" << QString::number(procStatusMiB("VmRSS"), 'f', 1) << Qt::endl;
        if (!allFresh) {
            stopAgent(&RefreshStorm::report);
        } else if (!warm && coldRounds() < m_options.rounds) {
            stopAgent([this] { QTimer::singleShot(500, this, &RefreshStorm::startColdRound); });
        } else if (warmRounds() < m_options.warmRounds) {
            if (!warm) {
                // Keep this agent running, with what it read in memory, for the warm storms.
                m_wake = m_engine->findChild<WakeTimer *>();
                if (m_wake == nullptr) {
                    fail(QStringLiteral("the agent has no WakeTimer"));
                    return;
                }
                m_wake->blockSignals(true);
            }
            // Out of the scheduler's statusChanged before reading every status.
            QTimer::singleShot(0, this, &RefreshStorm::scheduleWarmRound);
        } else {
            m_rssAfterWarmMiB = procStatusMiB("VmRSS");
            stopAgent(&RefreshStorm::report);
        }
    }

    // Stops and deletes the agent (out of its own signal), then `next`.
    void stopAgent(std::function<void()> next)
    {
        if (m_wake != nullptr) {
            m_wake->blockSignals(false);
            m_wake = nullptr;
        }
        m_agent->stop(1500, [this, next = std::move(next)](const Result<void> &) {
            QTimer::singleShot(0, this, [this, next] {
                delete m_engine; // and its agent
                m_engine = nullptr;
                m_agent = nullptr;
                next();
            });
        });
    }
    void stopAgent(void (RefreshStorm::*next)())
    {
        stopAgent([this, next] { (this->*next)(); });
    }

    void report()
    {
        const auto pickRounds = [this](bool warm) {
            QList<Round> rounds;
            std::copy_if(m_rounds.cbegin(), m_rounds.cend(), std::back_inserter(rounds),
                         [warm](const Round &round) { return round.warm == warm; });
            return rounds;
        };
        const QList<Round> cold = pickRounds(false);
        const QList<Round> warm = pickRounds(true);
        const auto allFresh = [](const QList<Round> &rounds) {
            return !rounds.isEmpty()
                && std::all_of(rounds.cbegin(), rounds.cend(),
                               [](const Round &round) { return round.allFresh; });
        };
        const auto freshMs = [](const Round &round) {
            return round.allFresh ? round.allFreshNs / 1'000'000 : qint64(-1);
        };
        // The median time until all fresh, or -1 when a round failed.
        const auto medianFresh = [&](const QList<Round> &rounds) {
            if (!allFresh(rounds)) {
                return qint64(-1);
            }
            QList<qint64> values;
            for (const Round &round : rounds) {
                values.append(freshMs(round));
            }
            std::sort(values.begin(), values.end());
            return values.at(values.size() / 2);
        };
        const auto longestStall = [](const QList<Round> &rounds) {
            qint64 most = 0;
            for (const Round &round : rounds) {
                most = qMax(most, round.maxStallNs);
            }
            return rounds.isEmpty() ? QStringLiteral("-1") : QString::number(most / 1e6, 'f', 1);
        };
        const auto each = [](const QList<Round> &rounds, auto pick) {
            QStringList values;
            for (const Round &round : rounds) {
                values.append(pick(round));
            }
            return values.isEmpty() ? QStringLiteral("-") : values.join(u',');
        };
        const auto freshEach = [&](const Round &round) { return QString::number(freshMs(round)); };
        const auto stallEach = [](const Round &round) {
            return QString::number(round.maxStallNs / 1e6, 'f', 1);
        };
        const auto callEach = [](const Round &round) {
            return QString::number(round.callNs / 1e6, 'f', 1);
        };

        QTextStream out(stdout);
        out << "refresh_storm profiles=" << m_profiles.size() << " cold_rounds=" << cold.size()
            << " warm_rounds=" << warm.size() << " cold_all_fresh_ms=" << medianFresh(cold)
            << " cold_max_stall_ms=" << longestStall(cold)
            << " warm_all_fresh_ms=" << medianFresh(warm)
            << " warm_max_stall_ms=" << longestStall(warm)
            << " peak_rss_mb=" << QString::number(procStatusMiB("VmHWM"), 'f', 1)
            << " rss_before_mb=" << QString::number(m_rssBeforeMiB, 'f', 1)
            << " rss_after_warm_mb=" << QString::number(m_rssAfterWarmMiB, 'f', 1)
            << " cold_all_fresh_ms_each=" << each(cold, freshEach)
            << " cold_max_stall_ms_each=" << each(cold, stallEach) << " cold_all_read_ms_each="
            << each(cold,
                    [](const Round &round) {
                        return QString::number(round.allRenewingNs / 1'000'000);
                    })
            << " cold_start_call_ms_each=" << each(cold, callEach)
            << " warm_all_fresh_ms_each=" << each(warm, freshEach)
            << " warm_max_stall_ms_each=" << each(warm, stallEach)
            << " warm_check_due_ms_each=" << each(warm, callEach)
            << " valid=" << (m_rounds.isEmpty() ? 0 : m_rounds.constLast().valid) << Qt::endl;
        if (!m_firstFailure.isEmpty()) {
            err() << "first failure: " << m_firstFailure << Qt::endl;
        }
        const bool everyRound = allFresh(cold) && warm.size() == m_options.warmRounds
            && (warm.isEmpty() || allFresh(warm));
        const int code = everyRound ? 0 : 1;
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

    Engine *m_engine = nullptr;
    Agent *m_agent = nullptr; // a child of m_engine
    QTimer *m_deadline;
    QElapsedTimer m_clock;
    qint64 m_lastTickNs = 0;
    qint64 m_startedNs = 0;
    double m_rssBeforeMiB = -1;
    double m_rssAfterWarmMiB = -1;
    QDateTime m_trigger; // wall clock at the round's start: tokens must be obtained after it
    WakeTimer *m_wake = nullptr; // the kept agent's, silenced between warm rounds
    bool m_waitingForDue = false;
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
        QStringLiteral("Times N profiles all due at once against the demo server, cold and warm."));
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
        QStringLiteral("Cold storms, each with a fresh agent; the figures are medians (3)."),
        QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption warmRoundsOption(
        QStringLiteral("warm-rounds"),
        QStringLiteral("Warm storms on the last agent, every profile due at once after a "
                       "suspend; the figures are medians (3; 0: none)."),
        QStringLiteral("N"), QStringLiteral("3"));
    parser.addOptions({profilesOption, serverOption, timeoutOption, keychainTimeoutOption,
                       roundsOption, warmRoundsOption});
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
    options.warmRounds = parser.value(warmRoundsOption).toInt(&ok);
    if (!ok || options.warmRounds < 0) {
        std::fputs("--warm-rounds takes a number, 0 or more\n", stderr);
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
