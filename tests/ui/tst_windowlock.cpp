// The window's Lock (File > Lock, Ctrl+Shift+L, the tray's "Lock", and
// `tokenkeeper lock` to the agent the desktop app hosts): the real engine
// under the real window, an agent in this process, the real keychain and the
// OAuth 2 emulator on 127.0.0.1.
#include "agent/agent.h"
#include "auth/tokenservice.h"
#include "core/clock.h"
#include "engine/engine.h"
#include "instance/singleinstance.h"
#include "scheduler/refreshscheduler.h"
#include "ui/desktopapp.h"
#include "ui/mainwindow.h"
#include "ui/secretclipboard.h"
#include "ui/trayicon.h"
#include "uitestsupport.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QJsonObject>
#include <QMenu>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

class TestWindowLock final : public QObject
{
    Q_OBJECT

    DesktopRig m_rig;
    SystemClock m_clock;
    QTemporaryDir m_dir;
    const QString m_name = QStringLiteral("lock oauth2");

    QString idOf(const QString &name) const
    {
        const auto profile = m_rig.engine().scheduler().find(name);
        return profile ? profile->id : QString();
    }

    // The window's Copy token, and what came of it.
    static std::pair<bool, QString> copyToken(MainWindow &window)
    {
        QSignalSpy finished(&window, &MainWindow::copyFinished);
        window.copyToken();
        if (!finished.wait(15'000)) {
            return {false, QStringLiteral("no answer")};
        }
        return {finished.at(0).at(1).toBool(), finished.at(0).at(2).toString()};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // An hour: nothing is renewed while the test runs, the token in memory
        // would serve every copy.
        QVERIFY(m_rig.addProfile(m_name, QStringLiteral("oauth2-password"), DesktopRig::LogIn::No));
        m_rig.emulator().post(
            QStringLiteral("/_emulator/config"),
            {{QStringLiteral("lifetimes"), QJsonObject {{QStringLiteral("oauth2"), 3600}}}});
    }

    void init()
    {
        QVERIFY(m_rig.startAgent());
        const CliResult login = m_rig.cli().runServingEvents(
            {QStringLiteral("login"), m_name},
            presetCase(QStringLiteral("oauth2-password")).secret + '\n');
        QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));
        QVERIFY(m_rig.showWindow(m_clock, std::chrono::milliseconds(60'000)));
        QVERIFY(m_rig.window().selectProfile(m_name));
        QApplication::clipboard()->clear();
    }

    void cleanup() { m_rig.stopAgent(); }

    // Ctrl+Shift+L: the token leaves memory and the clipboard; the next copy reads
    // the keychain, where the entry was deleted meanwhile.
    void lockShortcut_dropsTokensAndClipboard_theNextCopyReadsTheKeychain()
    {
        MainWindow &window = m_rig.window();
        TokenService &tokens = m_rig.engine().tokens();
        const QString id = idOf(m_name);
        const auto copied = copyToken(window);
        QVERIFY2(copied.first, qPrintable(copied.second));
        QVERIFY(m_rig.clipboard().holdsSecret());
        QVERIFY(tokens.cached(id).has_value());

        QVERIFY(removeFromKeychain(id));
        // Not locked yet: the token in memory serves the copy.
        const auto fromMemory = copyToken(window);
        QVERIFY2(fromMemory.first, qPrintable(fromMemory.second));

        auto *bar = child<QWidget>(&window, QStringLiteral("lockedBar"));
        QVERIFY(bar && !bar->isVisible());
        QTest::keyClick(&window, Qt::Key_L, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(tokens.isLocked());
        QVERIFY(!tokens.cached(id).has_value());
        QVERIFY(m_rig.engine().scheduler().isPaused());
        QVERIFY(QApplication::clipboard()->text().isEmpty());
        QVERIFY(!m_rig.clipboard().holdsSecret());
        QVERIFY(bar->isVisible());
        QVERIFY(!window.lockAction()->isEnabled());

        const auto afterLock = copyToken(window);
        QVERIFY(!afterLock.first);
        QVERIFY2(afterLock.second.contains(QStringLiteral("nothing is stored in the keychain")),
                 qPrintable(afterLock.second));
        QVERIFY(QApplication::clipboard()->text().isEmpty());
        QVERIFY(tokens.isLocked());
    }

    // Unlock reads the keychain (intact here): the bar goes, renewals resume.
    void unlockButton_readsTheKeychain_andTheBackgroundRenewalsResume()
    {
        MainWindow &window = m_rig.window();
        TokenService &tokens = m_rig.engine().tokens();
        window.lockAction()->trigger();
        QVERIFY(tokens.isLocked());
        auto *unlock = child<QPushButton>(&window, QStringLiteral("unlockButton"));
        QVERIFY(unlock && unlock->isVisible());
        QTest::mouseClick(unlock, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!tokens.isLocked(), 15'000);
        QVERIFY(tokens.cached(idOf(m_name)).has_value());
        QVERIFY(!m_rig.engine().scheduler().isPaused());
        QVERIFY(!child<QWidget>(&window, QStringLiteral("lockedBar"))->isVisible());
        QVERIFY(window.lockAction()->isEnabled());
    }

    // `tokenkeeper lock` to the agent the desktop app hosts: the window shows it.
    void lockCommand_toTheDesktopsAgent_theWindowShowsLocked()
    {
        MainWindow &window = m_rig.window();
        const auto copied = copyToken(window);
        QVERIFY2(copied.first, qPrintable(copied.second));
        const CliResult locked = m_rig.cli().runServingEvents({QStringLiteral("lock")});
        QVERIFY2(locked.exitCode == 0, qPrintable(locked.describe()));
        QVERIFY2(locked.out.contains("Locked: the secrets and tokens of 1 profile"),
                 locked.out.constData());
        QVERIFY(m_rig.engine().tokens().isLocked());
        QVERIFY(child<QWidget>(&window, QStringLiteral("lockedBar"))->isVisible());
        QVERIFY(QApplication::clipboard()->text().isEmpty());
    }

    // "Lock when unused" (the settings' minutes): on the engine's clock, a
    // use (a copy) starts the wait again; the window shows it locked.
    void lockWhenIdle_afterTheMinutesWithoutAUse_locks()
    {
        DesktopRig rig;
        ManualClock clock(QDateTime::currentDateTimeUtc());
        QVERIFY(rig.startInMemory(clock));
        QVERIFY(rig.addProfile(m_name, QStringLiteral("oauth2-password"), DesktopRig::LogIn::Yes));
        QVERIFY(rig.showWindow(clock, std::chrono::milliseconds(60'000)));
        Engine &engine = rig.engine();
        engine.setLockWhenIdle(5);
        clock.advance(4 * 60);
        QVERIFY(!engine.lockIfIdle());
        QVERIFY(rig.window().selectProfile(m_name));
        const auto copied = copyToken(rig.window());
        QVERIFY2(copied.first, qPrintable(copied.second));
        clock.advance(4 * 60);
        QVERIFY(!engine.lockIfIdle());
        QVERIFY(!engine.isLocked());
        clock.advance(61);
        QVERIFY(engine.lockIfIdle());
        QVERIFY(engine.isLocked());
        QVERIFY(child<QWidget>(&rig.window(), QStringLiteral("lockedBar"))->isVisible());
        QVERIFY(!engine.lockIfIdle()); // once
        engine.setLockWhenIdle(0);
        clock.advance(3600);
        QVERIFY(!engine.lockIfIdle());
        rig.stopAgent();
    }

    // The tray's Lock does the window's.
    void trayLock_locks()
    {
        m_rig.stopAgent();
        QVERIFY(m_rig.startAgent());
        SingleInstance instance(m_dir.path() + QStringLiteral("/instance"));
        DesktopApp desktop(m_rig.agent(), instance, m_dir.path() + QStringLiteral("/settings.json"),
                           TrayIcon::SystemTray::Assume);
        QAction *lock = actionNamed(desktop.tray().menu(), QStringLiteral("trayLock"));
        QVERIFY(lock);
        QVERIFY(!m_rig.engine().tokens().isLocked());
        lock->trigger();
        QVERIFY(m_rig.engine().tokens().isLocked());
        QVERIFY(child<QWidget>(&desktop.window(), QStringLiteral("lockedBar"))
                    ->isVisibleTo(&desktop.window()));
    }
};

QTEST_MAIN(TestWindowLock)
#include "tst_windowlock.moc"
