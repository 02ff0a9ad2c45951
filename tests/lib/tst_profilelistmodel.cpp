// The profile list model over a real refresh scheduler, a fake token source
// and a manual clock: rows follow the scheduler, countdowns follow the clock.
#include "auth/presetregistry.h"
#include "core/clock.h"
#include "fakes.h"
#include "models/itemroles.h"
#include "models/profilelistmodel.h"
#include "scheduler/refreshscheduler.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace tokenkeeper;
using tokenkeeper::test::FakeTokenProvider;
using tokenkeeper::test::ManualWakeTimer;

namespace {

Profile profile(const QString &id, const QString &preset = QStringLiteral("sensu"))
{
    Profile p;
    p.id = id;
    p.name = QStringLiteral("name-") + id;
    p.preset = preset;
    p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
    return p;
}

// The scheduler, its fakes and the model under test, checked throughout by
// QAbstractItemModelTester.
struct Rig
{
    explicit Rig(const QDateTime &start)
        : clock(start)
        , presets(PresetRegistry::load(QString()))
        , scheduler(&source, &timer, clock, {}, [] { return 0.5; })
        , model(&scheduler, presets, clock)
        , tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest)
    { }

    QStringList names() const
    {
        QStringList list;
        for (int row = 0; row < model.rowCount(); ++row) {
            list.append(model.index(row).data().toString());
        }
        return list;
    }
    QString text(int row = 0) const { return model.index(row).data(StatusTextRole).toString(); }

    ManualClock clock;
    ManualWakeTimer timer;
    FakeTokenProvider source;
    PresetRegistry presets;
    RefreshScheduler scheduler;
    ProfileListModel model;
    QAbstractItemModelTester tester;
};

} // namespace

class TestProfileListModel final : public QObject
{
    Q_OBJECT

    const QDateTime m_start = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);

private Q_SLOTS:
    void formatDuration_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("none") << qint64(0) << QStringLiteral("0:00");
        QTest::newRow("past") << qint64(-5) << QStringLiteral("0:00");
        QTest::newRow("seconds") << qint64(8) << QStringLiteral("0:08");
        QTest::newRow("minutes") << qint64(252) << QStringLiteral("4:12");
        QTest::newRow("an hour") << qint64(3600) << QStringLiteral("1:00:00");
        QTest::newRow("hours") << qint64(3723) << QStringLiteral("1:02:03");
        QTest::newRow("days") << qint64(90'000) << QStringLiteral("1 d 1 h");
    }

    void formatDuration()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, text);
        QCOMPARE(ProfileListModel::formatDuration(seconds), text);
    }

    void rows_followSetProfiles_atOnce()
    {
        Rig rig(m_start);
        QCOMPARE(rig.model.rowCount(), 0);
        QSignalSpy inserted(&rig.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&rig.model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy reset(&rig.model, &QAbstractItemModel::modelReset);

        // New profiles announce themselves (the scheduler looks at them at once).
        rig.scheduler.setProfiles({profile(QStringLiteral("a")), profile(QStringLiteral("b"))});
        QCOMPARE(rig.names(), (QStringList {QStringLiteral("name-a"), QStringLiteral("name-b")}));
        rig.scheduler.setProfiles({profile(QStringLiteral("a")), profile(QStringLiteral("c")),
                                   profile(QStringLiteral("b"))});
        QCOMPARE(rig.names(),
                 (QStringList {QStringLiteral("name-a"), QStringLiteral("name-c"),
                               QStringLiteral("name-b")}));
        QCOMPARE(rig.model.rowOf(QStringLiteral("b")), 2);
        QVERIFY(inserted.size() >= 2);

        // Removals and renames come at once too (RefreshScheduler::profilesChanged).
        Profile renamed = profile(QStringLiteral("b"));
        renamed.name = QStringLiteral("renamed");
        QSignalSpy changed(&rig.model, &QAbstractItemModel::dataChanged);
        rig.scheduler.setProfiles({renamed});
        QCOMPARE(rig.names(), QStringList {QStringLiteral("renamed")});
        QCOMPARE(removed.size(), 1); // "a" and "c", next to each other: one run
        QVERIFY(!changed.isEmpty());
        QCOMPARE(rig.model.rowOf(QStringLiteral("a")), -1);
        QCOMPARE(rig.model.rowOf(QStringLiteral("b")), 0);
        QCOMPARE(reset.size(), 0);

        // A new order is a reset.
        rig.scheduler.setProfiles({profile(QStringLiteral("x")), renamed});
        rig.scheduler.setProfiles({renamed, profile(QStringLiteral("x"))});
        QCOMPARE(rig.names(), (QStringList {QStringLiteral("renamed"), QStringLiteral("name-x")}));
        QCOMPARE(reset.size(), 1);

        rig.scheduler.setProfiles({});
        QCOMPARE(rig.model.rowCount(), 0);
    }

    void roles_nameAndPreset()
    {
        Rig rig(m_start);
        Profile unknown = profile(QStringLiteral("u"), QStringLiteral("in-house"));
        rig.scheduler.setProfiles({profile(QStringLiteral("a")), unknown});
        const QModelIndex a = rig.model.index(0);
        QCOMPARE(a.data(ProfileIdRole).toString(), QStringLiteral("a"));
        QCOMPARE(a.data(ProfileNameRole).toString(), QStringLiteral("name-a"));
        QCOMPARE(a.data(PresetIdRole).toString(), QStringLiteral("sensu"));
        QCOMPARE(a.data(PresetNameRole).toString(), QStringLiteral("Sensu Go"));
        QVERIFY(a.data(SearchTextRole).toString().contains(QStringLiteral("Sensu Go")));
        QCOMPARE(a.data(Qt::AccessibleTextRole).toString(),
                 QStringLiteral("name-a, Sensu Go, refreshing"));
        QCOMPARE(rig.model.index(1).data(PresetNameRole).toString(), QStringLiteral("in-house"));
        QVERIFY(rig.model.roleNames().contains(StatusTextRole));
    }

    void countdown_changesAsTheClockMoves()
    {
        Rig rig(m_start);
        rig.scheduler.setProfiles({profile(QStringLiteral("a"))});
        QCOMPARE(rig.text(), QStringLiteral("refreshing"));
        QSignalSpy changed(&rig.model, &QAbstractItemModel::dataChanged);
        rig.source.succeed(QStringLiteral("a"), m_start, 300);
        QCOMPARE(changed.size(), 1); // statusChanged -> dataChanged of that row
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
        QCOMPARE(rig.model.index(0).data(StateRole).toInt(), int(ProfileStatus::State::Valid));
        QCOMPARE(rig.model.index(0).data(ValidUntilRole).toDateTime(), m_start.addSecs(300));
        QCOMPARE(rig.text(), QStringLiteral("valid for 5:00"));

        rig.clock.advance(48);
        changed.clear();
        rig.model.tick();
        QCOMPARE(changed.size(), 1);
        QVERIFY(changed.at(0).at(2).value<QList<int>>().contains(StatusTextRole));
        QCOMPARE(rig.text(), QStringLiteral("valid for 4:12"));
        QVERIFY(!rig.model.index(0).data(ExpiringRole).toBool());

        // Past its renewal time (237 s: lead 60, jitter 3) the token is expiring.
        rig.clock.advance(250 - 48);
        rig.model.tick();
        QCOMPARE(rig.text(), QStringLiteral("expiring in 0:50"));
        QVERIFY(rig.model.index(0).data(ExpiringRole).toBool());

        rig.clock.advance(60);
        rig.model.tick();
        QCOMPARE(rig.text(), QStringLiteral("expired"));
    }

    void tick_nothingCountingDown_noDataChanged()
    {
        Rig rig(m_start);
        rig.scheduler.setProfiles({profile(QStringLiteral("a"))});
        QSignalSpy changed(&rig.model, &QAbstractItemModel::dataChanged);
        rig.model.tick(); // "refreshing" does not count down
        QCOMPARE(changed.size(), 0);
    }

    void statusText_everyState()
    {
        Rig rig(m_start);
        rig.scheduler.setProfiles({profile(QStringLiteral("a"))});

        Error busy(Error::Kind::Server, QStringLiteral("HTTP 503: try later"));
        busy.setRetryAfterSeconds(8);
        rig.source.failWith(QStringLiteral("a"), busy);
        QCOMPARE(rig.text(), QStringLiteral("backing off, next try in 0:08"));
        QCOMPARE(rig.model.index(0).data(ReasonRole).toString(), busy.message());
        QCOMPARE(rig.model.index(0).data(NextRefreshRole).toDateTime(), m_start.addSecs(8));
        rig.clock.advance(3);
        rig.model.tick();
        QCOMPARE(rig.text(), QStringLiteral("backing off, next try in 0:05"));
        rig.clock.advance(5);
        rig.model.tick();
        QCOMPARE(rig.text(), QStringLiteral("backing off, retrying now"));

        rig.timer.fire();
        QCOMPARE(rig.text(), QStringLiteral("refreshing"));

        const QString words = QStringLiteral("Unauthorized: the session was revoked");
        rig.source.failWith(QStringLiteral("a"), Error(Error::Kind::LoginRequired, words));
        QCOMPARE(rig.text(), QStringLiteral("login required"));
        QCOMPARE(rig.model.index(0).data(ReasonRole).toString(), words);
        QVERIFY(rig.model.index(0).data(Qt::ToolTipRole).toString().contains(words));

        rig.source.logOut(QStringLiteral("a"));
        QCOMPARE(rig.text(), QStringLiteral("logged out"));
    }
};

QTEST_GUILESS_MAIN(TestProfileListModel)
#include "tst_profilelistmodel.moc"
