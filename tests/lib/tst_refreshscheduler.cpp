// The scheduler's logic on a fake clock, a manual wake timer and a fake token
// source: nothing sleeps, nothing touches the network.
#include "auth/tokenprovider.h"
#include "core/clock.h"
#include "fakes.h"
#include "platform/waketimer.h"
#include "scheduler/refreshpolicy.h"
#include "scheduler/refreshscheduler.h"

#include <QTest>

using namespace tokenkeeper;

namespace {

using test::FakeTokenProvider;
using test::ManualWakeTimer;

Profile profile(const QString &id)
{
    Profile p;
    p.id = id;
    p.name = QStringLiteral("name-") + id;
    p.preset = QStringLiteral("sensu");
    p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
    return p;
}

} // namespace

class TestRefreshScheduler final : public QObject
{
    Q_OBJECT

    const QDateTime m_start = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);

private Q_SLOTS:
    void policy_lead_data()
    {
        QTest::addColumn<qint64>("lifetime");
        QTest::addColumn<qint64>("lead");
        QTest::newRow("sensu 5 min: 60 s") << qint64(300) << qint64(60);
        QTest::newRow("squirro 10 min: 20 %") << qint64(600) << qint64(120);
        QTest::newRow("argus 1 h: 20 %") << qint64(3600) << qint64(720);
        QTest::newRow("2 s test token: half") << qint64(2) << qint64(1);
        QTest::newRow("90 s: half, not 60") << qint64(90) << qint64(45);
        QTest::newRow("none") << qint64(0) << qint64(0);
    }

    void policy_lead()
    {
        QFETCH(qint64, lifetime);
        QFETCH(qint64, lead);
        QCOMPARE(RefreshPolicy().leadSeconds(lifetime), lead);
    }

    void policy_jitter_isSmallAndBounded()
    {
        const RefreshPolicy policy;
        QCOMPARE(policy.jitterSeconds(60, 0.0), 0);
        QCOMPARE(policy.jitterSeconds(60, 0.999), 5); // 10 % of the lead
        QCOMPARE(policy.jitterSeconds(72000, 0.999), 29); // capped at 30 s
    }

    void policy_backoff_doublesToTheCapAndHonoursRetryAfter()
    {
        const RefreshPolicy policy;
        // random 1.0 gives the ceiling of each step: 2, 4, 8, ... 300.
        QList<qint64> ceilings;
        for (int failures = 1; failures <= 10; ++failures) {
            ceilings.append(policy.backoffSeconds(failures, -1, 1.0));
        }
        QCOMPARE(ceilings, (QList<qint64> {2, 4, 8, 16, 32, 64, 128, 256, 300, 300}));
        // random 0 gives half of it: never zero, never a tight loop.
        QCOMPARE(policy.backoffSeconds(1, -1, 0.0), 1);
        QCOMPARE(policy.backoffSeconds(6, -1, 0.0), 32);
        // Retry-After is the least delay...
        QCOMPARE(policy.backoffSeconds(1, 40, 0.5), 40);
        // ...but a larger back-off still wins, and an absurd one is capped at an hour.
        QCOMPARE(policy.backoffSeconds(9, 10, 1.0), 300);
        QCOMPARE(policy.backoffSeconds(1, 86400, 0.0), 3600);
    }

    void newProfile_isLookedAtOnce_thenScheduledAtExpiryMinusLeadAndJitter()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock, {}, [] { return 0.5; });
        scheduler.setProfiles({profile(QStringLiteral("a"))});
        QCOMPARE(source.asks.size(), 1);
        QCOMPARE(source.asks[0].minValid, 0); // a look, not a forced renewal
        QCOMPARE(scheduler.status(QStringLiteral("a"))->state, ProfileStatus::State::Refreshing);

        source.succeed(QStringLiteral("a"), m_start, 300);
        const auto status = *scheduler.status(QStringLiteral("a"));
        QCOMPARE(status.state, ProfileStatus::State::Valid);
        // 300 s token: lead 60 s, jitter 3 s (half of 10 % of 60).
        QCOMPARE(m_start.secsTo(status.nextRefresh), 237);
        QCOMPARE(timer.armedFor, status.nextRefresh);
        QCOMPARE(scheduler.nextWakeUp(), status.nextRefresh);

        // Nothing happens before it is due, even if the timer fires early.
        clock.advance(200);
        timer.fire();
        QCOMPARE(source.asks.size(), 1);
        clock.advance(37);
        timer.fire();
        QCOMPARE(source.asks.size(), 2);
        QCOMPARE(source.asks[1].minValid, TokenProvider::forceRenewal);
    }

    // Locked: nothing renews unasked, however late; a new profile waits for
    // its look; "Refresh now" is a user's and asks at once; resuming renews
    // what fell due and looks at what waited.
    void paused_noRenewalUntilResumed_thenWhatFellDueAndWhatWaited()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock, {}, [] { return 0.5; });
        scheduler.setProfiles({profile(QStringLiteral("a"))});
        source.succeed(QStringLiteral("a"), m_start, 300);
        QVERIFY(timer.armedFor.isValid());

        scheduler.setPaused(true);
        QVERIFY(!timer.armedFor.isValid());
        clock.advance(600); // due twice over
        timer.fire();
        scheduler.checkDue();
        scheduler.setProfiles({profile(QStringLiteral("a")), profile(QStringLiteral("b"))});
        QCOMPARE(source.asks.size(), 1);

        scheduler.refreshNow(QStringLiteral("a"));
        QCOMPARE(source.asks.size(), 2);
        QCOMPARE(source.asks[1].minValid, TokenProvider::forceRenewal);
        source.failWith(QStringLiteral("a"),
                        Error(Error::Kind::Keychain, QStringLiteral("locked")));
        QCOMPARE(source.asks.size(), 2); // its back-off waits too
        QVERIFY(!timer.armedFor.isValid());

        scheduler.setPaused(false);
        QCOMPARE(source.asksFor(QStringLiteral("b")), 1);
        QCOMPARE(source.asksFor(QStringLiteral("a")), 2);
        clock.advance(3600);
        timer.fire();
        QCOMPARE(source.asksFor(QStringLiteral("a")), 3);
    }

    void oneTimer_forTheEarliestAcrossProfiles_andNoneWhenNothingIsDue()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock, {}, [] { return 0.0; });
        scheduler.setProfiles({profile(QStringLiteral("long")), profile(QStringLiteral("short")),
                               profile(QStringLiteral("out"))});
        source.succeed(QStringLiteral("long"), m_start, 3600);
        source.succeed(QStringLiteral("short"), m_start, 300);
        source.failWith(QStringLiteral("out"),
                        Error(Error::Kind::NotLoggedIn, QStringLiteral("nothing stored")));
        QCOMPARE(scheduler.status(QStringLiteral("out"))->state, ProfileStatus::State::LoggedOut);
        QCOMPARE(timer.armedFor, m_start.addSecs(240)); // the short one's
        // After the short one renews, the long one is next.
        clock.advance(240);
        timer.fire();
        QCOMPARE(source.asksFor(QStringLiteral("short")), 2);
        QCOMPARE(timer.armedFor, m_start.addSecs(3600 - 720));

        // Logged out everywhere: no timer at all.
        source.failWith(QStringLiteral("short"),
                        Error(Error::Kind::NotLoggedIn, QStringLiteral("gone")));
        source.failWith(QStringLiteral("long"),
                        Error(Error::Kind::NotLoggedIn, QStringLiteral("gone")));
        QVERIFY(!timer.armedFor.isValid());
        QVERIFY(!scheduler.nextWakeUp().isValid());
    }

    void jitter_spreadsManyProfilesDueTogether()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock); // the real random source
        QList<Profile> profiles;
        for (int i = 0; i < 200; ++i) {
            profiles.append(profile(QString::number(i)));
        }
        scheduler.setProfiles(profiles);
        QSet<QDateTime> dueTimes;
        for (const Profile &p : profiles) {
            source.succeed(p.id, m_start, 3600);
            dueTimes.insert(scheduler.status(p.id)->nextRefresh);
        }
        QVERIFY2(dueTimes.size() > 10, qPrintable(QString::number(dueTimes.size())));
        for (const QDateTime &due : dueTimes) {
            QVERIFY(due <= m_start.addSecs(3600 - 720));
            QVERIFY(due >= m_start.addSecs(3600 - 720 - 30));
        }
    }

    void transientFailures_backOffExponentially_thenRecover()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock, {}, [] { return 1.0; });
        const QString id = QStringLiteral("a");
        scheduler.setProfiles({profile(id)});
        QList<qint64> delays;
        for (int i = 0; i < 5; ++i) {
            source.failWith(id, Error(Error::Kind::Network, QStringLiteral("refused")));
            const auto status = *scheduler.status(id);
            QCOMPARE(status.state, ProfileStatus::State::BackingOff);
            QCOMPARE(status.reason, QStringLiteral("refused"));
            QCOMPARE(status.failures, i + 1);
            delays.append(clock.now().secsTo(status.nextRefresh));
            QCOMPARE(timer.armedFor, status.nextRefresh);
            clock.set(status.nextRefresh);
            timer.fire();
            QCOMPARE(source.asksFor(id), i + 2);
        }
        QCOMPARE(delays, (QList<qint64> {2, 4, 8, 16, 32}));
        source.succeed(id, clock.now(), 300);
        QCOMPARE(scheduler.status(id)->state, ProfileStatus::State::Valid);
        QCOMPARE(scheduler.status(id)->failures, 0);
    }

    void retryAfter_isHonoured()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock, {}, [] { return 0.0; });
        const QString id = QStringLiteral("a");
        scheduler.setProfiles({profile(id)});
        Error limited(Error::Kind::Server, QStringLiteral("slow down (HTTP 429)"));
        limited.setRetryAfterSeconds(120);
        source.failWith(id, limited);
        QCOMPARE(m_start.secsTo(scheduler.status(id)->nextRefresh), 120);
        clock.advance(119);
        timer.fire();
        QCOMPARE(source.asksFor(id), 1);
        clock.advance(1);
        timer.fire();
        QCOMPARE(source.asksFor(id), 2);
    }

    void rejectedCredentials_loginRequiredOnce_andNoMoreTries()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock);
        const QString id = QStringLiteral("a");
        scheduler.setProfiles({profile(id)});
        int changes = 0;
        connect(&scheduler, &RefreshScheduler::statusChanged, this, [&changes] { ++changes; });
        source.failWith(id,
                        Error(Error::Kind::LoginRequired,
                              QStringLiteral("Sensu Go rejected the token refresh: invalid "
                                             "access token (HTTP 400).")));
        const auto status = *scheduler.status(id);
        QCOMPARE(status.state, ProfileStatus::State::LoginRequired);
        QVERIFY(status.reason.contains(QStringLiteral("invalid access token")));
        QCOMPARE(changes, 1);
        QVERIFY(!timer.armedFor.isValid());
        clock.advance(7 * 24 * 3600);
        timer.fire();
        scheduler.networkReachable();
        QCOMPARE(source.asksFor(id), 1);
        // A login elsewhere (the agent is told to re-check) brings it back.
        scheduler.recheck(id);
        QCOMPARE(source.asksFor(id), 2);
    }

    void requestErrors_areNotRetriedAsIfTransient()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock, {}, [] { return 0.0; });
        scheduler.setProfiles({profile(QStringLiteral("a"))});
        source.failWith(QStringLiteral("a"),
                        Error(Error::Kind::Request, QStringLiteral("invalid_scope (HTTP 400)")));
        // Straight to the longest back-off: a settings problem does not fix itself in 2 s.
        QCOMPARE(m_start.secsTo(scheduler.status(QStringLiteral("a"))->nextRefresh), 300);
    }

    void clockJump_reChecksEveryProfileAtOnce()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock, {}, [] { return 0.0; });
        scheduler.setProfiles({profile(QStringLiteral("a")), profile(QStringLiteral("b")),
                               profile(QStringLiteral("c"))});
        source.succeed(QStringLiteral("a"), m_start, 300);
        source.succeed(QStringLiteral("b"), m_start, 600);
        source.succeed(QStringLiteral("c"), m_start, 86400);
        // The wall clock jumps 20 minutes ahead (or the machine slept through it).
        clock.advance(1200);
        timer.clockJumped();
        QCOMPARE(source.asksFor(QStringLiteral("a")), 2);
        QCOMPARE(source.asksFor(QStringLiteral("b")), 2);
        QCOMPARE(source.asksFor(QStringLiteral("c")), 1); // not due yet
        // A late wake-up does the same.
        source.succeed(QStringLiteral("a"), clock.now(), 300);
        source.succeed(QStringLiteral("b"), clock.now(), 300);
        clock.advance(3600);
        timer.fire();
        QCOMPARE(source.asksFor(QStringLiteral("a")), 3);
        QCOMPARE(source.asksFor(QStringLiteral("b")), 3);
    }

    void networkBack_retriesWhatIsBackingOffNow()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock, {}, [] { return 1.0; });
        scheduler.setProfiles({profile(QStringLiteral("a")), profile(QStringLiteral("b"))});
        for (int i = 0; i < 8; ++i) { // backing off for minutes now
            source.failWith(QStringLiteral("a"), Error(Error::Kind::Network, QStringLiteral("x")));
        }
        source.succeed(QStringLiteral("b"), m_start, 3600);
        scheduler.networkReachable();
        QCOMPARE(source.asksFor(QStringLiteral("a")), 2);
        QCOMPARE(source.asksFor(QStringLiteral("b")), 1);
    }

    void storm_startsABoundedNumberPerTurnAndAtOnce()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock);
        QList<Profile> profiles;
        for (int i = 0; i < 100; ++i) {
            profiles.append(profile(QString::number(i)));
        }
        scheduler.setProfiles(profiles);
        // One turn of the event loop starts only a few...
        QCOMPARE(source.asks.size(), RefreshScheduler::renewalsPerTurn);
        // ...later turns more, but never more than the cap under way at once.
        QTRY_COMPARE(source.asks.size(), RefreshScheduler::maxConcurrentRenewals);
        QTest::qWait(20);
        QCOMPARE(source.asks.size(), RefreshScheduler::maxConcurrentRenewals);
        // Answers make room for the rest, and every profile is asked once.
        for (int i = 0; i < 100; ++i) {
            QTRY_VERIFY(source.isWaiting(QString::number(i)));
            source.succeed(QString::number(i), m_start, 3600);
        }
        QCOMPARE(source.asks.size(), 100);
        for (const Profile &p : profiles) {
            QCOMPARE(scheduler.status(p.id)->state, ProfileStatus::State::Valid);
        }
    }

    void newPolicy_reschedulesWhatWaitsAtOnce()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock, {}, [] { return 0.0; });
        scheduler.setProfiles({profile(QStringLiteral("a")), profile(QStringLiteral("out"))});
        source.succeed(QStringLiteral("a"), m_start, 3600);
        source.failWith(QStringLiteral("out"),
                        Error(Error::Kind::NotLoggedIn, QStringLiteral("nothing stored")));
        QCOMPARE(m_start.secsTo(scheduler.status(QStringLiteral("a"))->nextRefresh), 3600 - 720);
        RefreshPolicy policy;
        policy.leadFraction = 0.5;
        scheduler.setPolicy(policy);
        QCOMPARE(m_start.secsTo(scheduler.status(QStringLiteral("a"))->nextRefresh), 1800);
        QCOMPARE(timer.armedFor, m_start.addSecs(1800));
        QCOMPARE(scheduler.status(QStringLiteral("out"))->state, ProfileStatus::State::LoggedOut);
        QVERIFY(!scheduler.status(QStringLiteral("out"))->nextRefresh.isValid());
    }

    void refreshNow_whileALookIsUnderWay_renewsAfterIt()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock);
        scheduler.setProfiles({profile(QStringLiteral("a"))}); // a look (min-valid 0) starts
        QCOMPARE(source.asks.size(), 1);
        // A login elsewhere makes it valid while the look is still out...
        TokenSet fresh;
        fresh.accessToken = QStringLiteral("from-login");
        fresh.obtainedAt = m_start;
        fresh.expiresAt = m_start.addSecs(300);
        Q_EMIT source.tokenObtained(QStringLiteral("a"), fresh);
        QCOMPARE(scheduler.status(QStringLiteral("a"))->state, ProfileStatus::State::Valid);
        // ...and the user asks for a renewal before the look has answered.
        scheduler.refreshNow(QStringLiteral("a"));
        QCOMPARE(source.asks.size(), 1);
        source.succeed(QStringLiteral("a"), m_start, 300); // the look answers
        QCOMPARE(source.asks.size(), 2);
        QCOMPARE(source.asks.last().minValid, TokenProvider::forceRenewal);
    }

    void removedProfile_isForgotten()
    {
        ManualClock clock(m_start);
        ManualWakeTimer timer;
        FakeTokenProvider source;
        RefreshScheduler scheduler(&source, &timer, clock);
        scheduler.setProfiles({profile(QStringLiteral("a")), profile(QStringLiteral("b"))});
        source.succeed(QStringLiteral("a"), m_start, 300);
        scheduler.setProfiles({profile(QStringLiteral("b"))});
        QVERIFY(!scheduler.status(QStringLiteral("a")));
        source.succeed(QStringLiteral("a"), m_start, 300); // a late answer is ignored
        QVERIFY(!scheduler.status(QStringLiteral("a")));
        QCOMPARE(scheduler.profiles().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestRefreshScheduler)
#include "tst_refreshscheduler.moc"
