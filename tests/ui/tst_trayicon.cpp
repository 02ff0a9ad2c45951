// The tray icon over a real profile model, a real scheduler and a fake token
// source, offscreen (no system tray): its menu, its tooltip, its news.
#include "auth/presetregistry.h"
#include "core/clock.h"
#include "fakes.h"
#include "models/itemroles.h"
#include "models/profilelistmodel.h"
#include "scheduler/refreshscheduler.h"
#include "ui/trayicon.h"
#include "uitestsupport.h"

#include <QApplication>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <QWidget>

using namespace tokenkeeper;
using tokenkeeper::test::actionNamed;
using tokenkeeper::test::closeAsUser;
using tokenkeeper::test::FakeTokenProvider;
using tokenkeeper::test::ManualWakeTimer;

namespace {

Profile profile(const QString &id)
{
    Profile p;
    p.id = id;
    p.name = QStringLiteral("name-") + id;
    p.preset = QStringLiteral("sensu");
    p.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
    return p;
}

struct Rig
{
    Rig()
        : presets(PresetRegistry::load(QString()))
        , scheduler(&source, &timer, clock, {}, [] { return 0.5; })
        , model(&scheduler, presets, clock)
    { }

    // Two profiles, both with a valid token.
    void twoValid()
    {
        scheduler.setProfiles({profile(QStringLiteral("a")), profile(QStringLiteral("b"))});
        QTRY_VERIFY(source.isWaiting(QStringLiteral("a")) && source.isWaiting(QStringLiteral("b")));
        source.succeed(QStringLiteral("a"), clock.now(), 3600);
        source.succeed(QStringLiteral("b"), clock.now(), 3600);
        QCOMPARE(model.rowCount(), 2);
    }
    void failOnRenewal(const QString &id, const Error &error)
    {
        scheduler.refreshNow(id);
        QTRY_VERIFY(source.isWaiting(id));
        source.failWith(id, error);
    }

    ManualClock clock;
    ManualWakeTimer timer;
    FakeTokenProvider source;
    PresetRegistry presets;
    RefreshScheduler scheduler;
    ProfileListModel model;
};

QMenu *profileMenu(const TrayIcon &tray, const QString &id)
{
    return tray.menu()->findChild<QMenu *>(QStringLiteral("trayProfile:") + id);
}

QStringList profileTitles(const TrayIcon &tray)
{
    QStringList titles;
    const QList<QAction *> actions = tray.menu()->actions();
    for (QAction *action : actions) {
        if (action->menu()) {
            titles.append(action->text());
        }
    }
    return titles;
}

} // namespace

class TestTrayIcon final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void offscreen_hasNoTray_butWorks()
    {
        QVERIFY(!TrayIcon::isAvailable());
        Rig rig;
        TrayIcon tray(&rig.model);
        tray.show();
        QVERIFY(!tray.isShown());
        QVERIFY(tray.menu());
        QVERIFY(actionNamed(tray.menu(), QStringLiteral("trayQuit")));
        QCOMPARE(tray.toolTip(), QStringLiteral("Tokenkeeper\nNo profiles"));
    }

    void appIcon_isTheSvg()
    {
        const QIcon icon = TrayIcon::appIcon();
        QVERIFY(!icon.isNull());
        QVERIFY(!icon.pixmap(64, 64).isNull()); // the SVG icon engine renders it
    }

    void menu_twoProfiles_listsEachWithCopyAndRefresh()
    {
        Rig rig;
        TrayIcon tray(&rig.model);
        rig.twoValid();
        QTRY_COMPARE(profileTitles(tray),
                     (QStringList {QStringLiteral("name-a"), QStringLiteral("name-b")}));

        QSignalSpy copies(&tray, &TrayIcon::copyHeaderRequested);
        QSignalSpy refreshes(&tray, &TrayIcon::refreshRequested);
        for (const QString &id : {QStringLiteral("a"), QStringLiteral("b")}) {
            QMenu *menu = profileMenu(tray, id);
            QVERIFY(menu);
            QAction *copy = actionNamed(menu, QStringLiteral("trayCopyHeader"));
            QAction *refresh = actionNamed(menu, QStringLiteral("trayRefresh"));
            QVERIFY(copy && refresh);
            QCOMPARE(copy->text(), QStringLiteral("Copy &header"));
            QVERIFY(copy->isEnabled());
            QVERIFY(refresh->isEnabled());
            copy->trigger();
            refresh->trigger();
        }
        QCOMPARE(copies.count(), 2);
        QCOMPARE(copies.at(1).at(0).toString(), QStringLiteral("b"));
        QCOMPARE(refreshes.count(), 2);
        QCOMPARE(refreshes.at(0).at(0).toString(), QStringLiteral("a"));
        QCOMPARE(tray.toolTip(), QStringLiteral("Tokenkeeper\n2 profiles, all fine"));

        QSignalSpy quit(&tray, &TrayIcon::quitRequested);
        QSignalSpy settings(&tray, &TrayIcon::settingsRequested);
        actionNamed(tray.menu(), QStringLiteral("trayQuit"))->trigger();
        actionNamed(tray.menu(), QStringLiteral("traySettings"))->trigger();
        QCOMPARE(quit.count(), 1);
        QCOMPARE(settings.count(), 1);

        // A profile removed: its entry goes.
        rig.scheduler.setProfiles({profile(QStringLiteral("b"))});
        QTRY_COMPARE(profileTitles(tray), QStringList {QStringLiteral("name-b")});
        QVERIFY(!profileMenu(tray, QStringLiteral("a")));
    }

    void loginRequired_notifiesOnceAndSaysSoInTheToolTip()
    {
        Rig rig;
        TrayIcon tray(&rig.model);
        rig.twoValid();
        QSignalSpy notified(&tray, &TrayIcon::notified);

        rig.failOnRenewal(QStringLiteral("b"),
                          Error(Error::Kind::LoginRequired, QStringLiteral("session revoked")));
        QTRY_COMPARE(notified.count(), 1);
        QCOMPARE(notified.at(0).at(0).toString(), QStringLiteral("b"));
        QCOMPARE(notified.at(0).at(1).toString(), QStringLiteral("name-b needs a login"));
        QVERIFY2(notified.at(0).at(2).toString().contains(QStringLiteral("session revoked")),
                 qPrintable(notified.at(0).at(2).toString()));
        QCOMPARE(tray.toolTip(), QStringLiteral("Tokenkeeper\nLog in again: name-b"));

        // The menu says so, and offers a login instead of a copy.
        QTRY_COMPARE(
            profileTitles(tray),
            (QStringList {QStringLiteral("name-a"), QStringLiteral("name-b — login required")}));
        QMenu *menu = profileMenu(tray, QStringLiteral("b"));
        QVERIFY(!actionNamed(menu, QStringLiteral("trayCopyHeader"))->isEnabled());
        QCOMPARE(actionNamed(menu, QStringLiteral("trayShowProfile"))->text(),
                 QStringLiteral("&Log in…"));
        QSignalSpy shown(&tray, &TrayIcon::showProfileRequested);
        actionNamed(menu, QStringLiteral("trayShowProfile"))->trigger();
        QCOMPARE(shown.count(), 1);
        QCOMPARE(shown.at(0).at(0).toString(), QStringLiteral("b"));

        // Countdowns moving are not news; neither is the same state again.
        rig.clock.advance(5);
        rig.model.tick();
        QTest::qWait(20);
        QCOMPARE(notified.count(), 1);
    }

    void backingOff_isInTheToolTipButNotNotified()
    {
        Rig rig;
        TrayIcon tray(&rig.model);
        rig.twoValid();
        QSignalSpy notified(&tray, &TrayIcon::notified);
        rig.failOnRenewal(QStringLiteral("a"),
                          Error(Error::Kind::Network, QStringLiteral("connection refused")));
        QTRY_COMPARE(tray.toolTip(), QStringLiteral("Tokenkeeper\nBacking off: name-a"));
        QCOMPARE(notified.count(), 0);
        QTRY_COMPARE(profileTitles(tray).value(0), QStringLiteral("name-a — backing off"));
    }

    void profileAlreadyNeedingLogin_isNotNews()
    {
        Rig rig;
        rig.scheduler.setProfiles({profile(QStringLiteral("a"))});
        QTRY_VERIFY(rig.source.isWaiting(QStringLiteral("a")));
        rig.source.failWith(QStringLiteral("a"),
                            Error(Error::Kind::LoginRequired, QStringLiteral("expired")));
        TrayIcon tray(&rig.model); // the app starts with it so
        QSignalSpy notified(&tray, &TrayIcon::notified);
        QCOMPARE(tray.toolTip(), QStringLiteral("Tokenkeeper\nLog in again: name-a"));
        QTest::qWait(20);
        QCOMPARE(notified.count(), 0);
    }

    void menu_manyProfiles_leavesTheRestToTheWindow()
    {
        Rig rig;
        QList<Profile> profiles;
        for (int i = 0; i < TrayIcon::maxProfilesInMenu + 3; ++i) {
            profiles.append(profile(QString::number(i)));
        }
        TrayIcon tray(&rig.model);
        rig.scheduler.setProfiles(profiles);
        QTRY_COMPARE(profileTitles(tray).size(), TrayIcon::maxProfilesInMenu);
        QAction *more = actionNamed(tray.menu(), QStringLiteral("trayMore"));
        QVERIFY(more);
        QCOMPARE(more->text(), QStringLiteral("3 more in the window…"));
    }

    void keepInTray_noTray_userClosingCloses()
    {
        Rig rig;
        TrayIcon tray(&rig.model);
        tray.setCloseToTray(true);
        tray.show();
        QWidget window;
        tray.keepInTray(&window);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        closeAsUser(window); // nowhere to go: it closes
        QVERIFY(!window.isVisible());
        QVERIFY(!tray.windowInTray());
        window.show();
        QVERIFY(!tray.hideToTray()); // nor can it start there
        QVERIFY(window.isVisible());
    }

    // Offscreen has no tray: SystemTray::Assume makes the icon act as if
    // shown. Nothing is drawn, so this cannot show the icon or its "still
    // running" message; it shows where the window goes.
    void keepInTray_withTray_userClosingHides_closingFromCodeCloses()
    {
        Rig rig;
        TrayIcon tray(&rig.model, TrayIcon::SystemTray::Assume);
        QVERIFY(tray.hasTray());
        tray.setCloseToTray(true);
        tray.show();
        QVERIFY(tray.isShown());
        QWidget window;
        tray.keepInTray(&window);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        closeAsUser(window);
        QVERIFY(!window.isVisible());
        QVERIFY(tray.windowInTray());
        window.show(); // from the tray again
        QVERIFY(!tray.windowInTray());

        // Quit closes every window from code: that closes for good.
        QVERIFY(window.close());
        QVERIFY(!window.isVisible());
        QVERIFY(!tray.windowInTray());

        // With the setting off, the user's close closes too.
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        tray.setCloseToTray(false);
        closeAsUser(window);
        QVERIFY(!window.isVisible());
        QVERIFY(!tray.windowInTray());

        // Start minimized: straight into the tray.
        window.show();
        QVERIFY(tray.hideToTray());
        QVERIFY(!window.isVisible());
        QVERIFY(tray.windowInTray());
    }
};

QTEST_MAIN(TestTrayIcon)
#include "tst_trayicon.moc"
