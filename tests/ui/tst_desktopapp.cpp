// The desktop app put together (DesktopApp), offscreen, on a real agent and
// the demo server: with no keychain, "Keep tokens in memory only" lets a
// login work while nothing reaches the keychain; the tray copies while the
// window is hidden and says why when it cannot; a second start raises the
// window; closing the window keeps the app in the tray, or quits.
//
// Offscreen there is no system tray (QSystemTrayIcon::isSystemTrayAvailable()
// is false). The tests that need one build the app with SystemTray::Assume:
// the app then acts as if the icon were shown (close-to-tray, notifications),
// but nothing is drawn, so these tests cannot show that an icon appears, that
// its menu pops up under a click, or that the desktop displays a
// notification: they see the menu's actions and the notified() signal only.
#include "agent/agent.h"
#include "agent/agentclient.h"
#include "auth/tokenservice.h"
#include "engine/engine.h"
#include "instance/singleinstance.h"
#include "models/itemroles.h"
#include "models/profilelistmodel.h"
#include "profiles/profilestore.h"
#include "request/requesthistory.h"
#include "scheduler/profilestatus.h"
#include "scheduler/refreshscheduler.h"
#include "secrets/memorysecretstore.h"
#include "settings/settingsstore.h"
#include "ui/desktopapp.h"
#include "ui/keychainbanner.h"
#include "ui/mainwindow.h"
#include "ui/secretclipboard.h"
#include "ui/trayicon.h"
#include "uitestsupport.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

namespace {

using SystemTray = TrayIcon::SystemTray;

const QString memoryName = QStringLiteral("memory sensu"); // added, never logged in
const QString trayName = QStringLiteral("tray sensu"); // logged in
const QString sensu = QStringLiteral("sensu");
const QString bearer = QStringLiteral("Authorization: Bearer ");

QClipboard *clipboard()
{
    return QGuiApplication::clipboard();
}

// The id of the profile named `name` in the window's list; empty if none.
QString idOf(const MainWindow &window, const QString &name)
{
    const ProfileListModel *model = window.model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row).data(ProfileNameRole).toString() == name) {
            return model->index(row).data(ProfileIdRole).toString();
        }
    }
    return {};
}

int stateOf(const MainWindow &window, const QString &id)
{
    const ProfileListModel *model = window.model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row).data(ProfileIdRole).toString() == id) {
            return model->index(row).data(StateRole).toInt();
        }
    }
    return -1;
}

// Starts the app; once its window lists the tray profile with a valid
// token, that profile's id (empty if it never did).
QString startWithValidTrayProfile(DesktopApp &desktop)
{
    desktop.start();
    MainWindow &window = desktop.window();
    QString id;
    const bool ready =
        QTest::qWaitForWindowExposed(&window)
        && QTest::qWaitFor(
            [&window, &id] {
                id = idOf(window, trayName);
                return !id.isEmpty() && stateOf(window, id) == int(ProfileStatus::State::Valid);
            },
            15'000);
    return ready ? id : QString();
}

// The action `name` (trayCopyHeader, trayRefresh, ...) in the tray menu's
// entry for the profile, as the menu stands once rebuilt.
QAction *trayAction(TrayIcon &tray, const QString &profileId, const QString &name)
{
    tray.rebuildMenu();
    auto *menu = child<QMenu>(tray.menu(), QStringLiteral("trayProfile:") + profileId);
    return menu ? actionNamed(menu, name) : nullptr;
}

// Runs the application's event loop, as main() does after DesktopApp::start(),
// with `step` run in it. What exec() returned, or nullopt when the loop did
// not end within `timeoutMs` (it is then ended).
std::optional<int> runEventLoop(const std::function<void()> &step, int timeoutMs)
{
    bool timedOut = false;
    QTimer guard;
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, qApp, [&timedOut] {
        timedOut = true;
        QCoreApplication::exit(-1);
    });
    guard.start(timeoutMs);
    QTimer::singleShot(0, qApp, step);
    const int code = QApplication::exec();
    if (timedOut) {
        return std::nullopt;
    }
    return code;
}

AppSettings closeToTray(bool on)
{
    AppSettings settings;
    settings.closeToTray = on;
    return settings;
}

} // namespace

class TestDesktopApp final : public QObject
{
    Q_OBJECT

    DesktopRig m_rig;
    QTemporaryDir m_dir;
    int m_run = 0; // each test's own settings file and instance socket

    QString settingsPath(const AppSettings &settings = {})
    {
        const QString path = m_dir.filePath(QStringLiteral("desktop-%1.conf").arg(m_run));
        SettingsStore store(path);
        const Result<void> saved = store.save(settings);
        if (!saved) {
            qWarning("settings not saved: %s", qPrintable(saved.error().message()));
        }
        return path;
    }
    QString instancePath() const
    {
        return m_dir.filePath(QStringLiteral("desktop-%1.sock").arg(m_run));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // 30-second tokens: every copy (which wants a token valid for a
        // minute) renews at the server.
        QVERIFY(m_rig.addProfile(memoryName, sensu, DesktopRig::LogIn::No));
        m_rig.emulator().post(QStringLiteral("/_emulator/config"),
                              {{QStringLiteral("lifetimes"), QJsonObject {{sensu, 30}}}});
        QVERIFY(m_rig.addProfile(trayName, sensu, DesktopRig::LogIn::Yes));
    }

    void init()
    {
        ++m_run;
        QVERIFY(m_rig.startAgent());
        clipboard()->clear();
    }

    void cleanup() { m_rig.stopAgent(); }

    void memoryOnly_afterKeychainFailure_loginWorks_keychainUntouched()
    {
        Agent &agent = m_rig.agent();
        SingleInstance instance(instancePath());
        DesktopApp desktop(agent, instance, settingsPath());
        desktop.start();
        MainWindow &window = desktop.window();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QTRY_COMPARE_WITH_TIMEOUT(window.model()->rowCount(), 2, 10'000);
        const QString id = idOf(window, memoryName);
        QVERIFY(!id.isEmpty());
        QVERIFY(!keychainHolds(id));
        // The first look at the profiles (keychain reads) has ended: the
        // failure below stands for its answer.
        QTRY_VERIFY_WITH_TIMEOUT(!agent.engine().tokens().busy(), 10'000);

        // The keychain fails (as a missing Secret Service would make it).
        KeychainBanner &banner = desktop.banner();
        QVERIFY(!banner.isVisible());
        Q_EMIT agent.engine().tokens().tokenFailed(
            id, Error(Error::Kind::Keychain, QStringLiteral("No keyring daemon")));
        QVERIFY(banner.isVisible());
        auto *memoryOnly = child<QPushButton>(&banner, QStringLiteral("keychainMemoryOnlyButton"));
        QVERIFY(memoryOnly->isVisible());

        QTest::mouseClick(memoryOnly, Qt::LeftButton);
        QVERIFY(agent.engine().usesMemorySecrets());
        QVERIFY(banner.isVisible());
        QVERIFY(banner.isMemoryOnly());
        QVERIFY2(banner.message().contains(QStringLiteral("until Tokenkeeper quits")),
                 qPrintable(banner.message()));
        QVERIFY(banner.message().contains(QStringLiteral("Log in")));
        QVERIFY(!memoryOnly->isVisible());
        QVERIFY(!child<QPushButton>(&banner, QStringLiteral("keychainRetryButton"))->isVisible());

        // Log in through the window's login dialog.
        QVERIFY(window.selectProfile(id));
        window.logIn();
        QDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<QDialog *>(QStringLiteral("loginDialog"))));
        QTest::keyClicks(child<QLineEdit>(dialog, QStringLiteral("secretEdit")),
                         QString::fromUtf8(presetCase(sensu).secret));
        QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("loginButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(window, id), int(ProfileStatus::State::Valid), 15'000);

        // Copy from the tray's path: the token works, and nothing is in the keychain.
        QSignalSpy copied(&window, &MainWindow::copyFinished);
        window.copyHeaderOf(id);
        QTRY_COMPARE_WITH_TIMEOUT(copied.count(), 1, 10'000);
        QVERIFY2(copied.at(0).at(1).toBool(), qPrintable(copied.at(0).at(2).toString()));
        const QString header = clipboard()->text();
        QVERIFY(header.startsWith(bearer));
        QVERIFY(m_rig.acceptedByServer(sensu, header.mid(bearer.size())));
        QVERIFY(!keychainHolds(id));

        // A later keychain failure (a read started before) does not bring the failure back.
        Q_EMIT agent.engine().tokens().tokenFailed(
            id, Error(Error::Kind::Keychain, QStringLiteral("late")));
        QVERIFY(banner.isMemoryOnly());
        QVERIFY(!banner.message().contains(QStringLiteral("late")));
    }

    void secondStart_raisesTheHiddenOrMinimizedWindow()
    {
        // The real app started again finds this one on the default socket
        // (under the command line's runtime directory, which this process shares).
        SingleInstance instance;
        DesktopApp desktop(m_rig.agent(), instance, settingsPath());
        desktop.start();
        MainWindow &window = desktop.window();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(instance.isListening());

        QWidget other; // the window the user was in
        other.show();
        other.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&other));

        const auto startAgain = [this](const QByteArray &activationToken) {
            QProcess second;
            QProcessEnvironment env = m_rig.cli().environment();
            env.insert(QStringLiteral("XDG_ACTIVATION_TOKEN"),
                       QString::fromLatin1(activationToken));
            second.setProcessEnvironment(env);
            second.setProcessChannelMode(QProcess::ForwardedChannels);
            second.start(qEnvironmentVariable("TOKENKEEPER_DESKTOP"), {});
            // This process must answer while the second one waits: no blocking wait here.
            const bool ended = QTest::qWaitFor(
                [&second] { return second.state() == QProcess::NotRunning; }, 15'000);
            if (!ended) {
                second.kill(); // it went on to start for itself, and is stuck
                second.waitForFinished(3000);
            }
            return ended && second.exitStatus() == QProcess::NormalExit ? second.exitCode() : -1;
        };

        // Hidden (in the tray): shown, in front, with the focus the second start passed on.
        window.hide();
        qunsetenv("XDG_ACTIVATION_TOKEN");
        QCOMPARE(startAgain(QByteArrayLiteral("token-1")), 0);
        QTRY_VERIFY(window.isVisible());
        QTRY_VERIFY(window.isActiveWindow());
        QCOMPARE(qgetenv("XDG_ACTIVATION_TOKEN"), QByteArrayLiteral("token-1"));

        // Minimized: restored.
        other.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&other));
        window.showMinimized();
        QTRY_VERIFY(window.isMinimized());
        QCOMPARE(startAgain(QByteArrayLiteral("token-2")), 0);
        QTRY_VERIFY(!window.isMinimized());
        QVERIFY(window.isVisible());
        QTRY_VERIFY(window.isActiveWindow());
        qunsetenv("XDG_ACTIVATION_TOKEN");
    }

    void close_closeToTrayOn_withTray_hidesTheWindow_andTheAgentStillAnswers()
    {
        SingleInstance instance(instancePath());
        DesktopApp desktop(m_rig.agent(), instance, settingsPath(closeToTray(true)),
                           SystemTray::Assume);
        desktop.start();
        MainWindow &window = desktop.window();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        bool hidden = false;
        bool settingsShown = false;
        std::optional<Result<QJsonObject>> answer;
        AgentClient client;
        const std::optional<int> code = runEventLoop(
            [&] {
                closeAsUser(window);
                hidden = !window.isVisible() && desktop.tray().windowInTray();
                // Settings from the tray, then closed: the last window closed,
                // but the app stays in the tray.
                actionNamed(desktop.tray().menu(), QStringLiteral("traySettings"))->trigger();
                if (auto *settings = child<QDialog>(&window, QStringLiteral("settingsDialog"))) {
                    settingsShown = settings->isVisible();
                    closeAsUser(*settings);
                }
                // The app goes on: the command line's questions are answered.
                client.request({{QStringLiteral("cmd"), QStringLiteral("status")}}, 5000,
                               [&](std::optional<Result<QJsonObject>> reply) {
                                   answer = std::move(reply);
                                   // Then the tray's Quit, the way out without a window.
                                   trayQuit(desktop)->trigger();
                               });
            },
            20'000);
        QVERIFY(hidden);
        QVERIFY(settingsShown);
        QVERIFY2(answer.has_value(), "no agent answered");
        QVERIFY2(answer->ok(), answer->ok() ? "" : qPrintable(answer->error().message()));
        QCOMPARE(code, std::optional<int>(0)); // ended by Quit, not by the guard
    }

    void close_closeToTrayOff_withTray_quits()
    {
        SingleInstance instance(instancePath());
        DesktopApp desktop(m_rig.agent(), instance, settingsPath(closeToTray(false)),
                           SystemTray::Assume);
        closeQuits(desktop);
    }

    void close_closeToTrayOn_noTray_quits()
    {
        // Offscreen as it is: no tray, so the window would have nowhere to go.
        QVERIFY(!TrayIcon::isAvailable());
        SingleInstance instance(instancePath());
        DesktopApp desktop(m_rig.agent(), instance, settingsPath(closeToTray(true)));
        closeQuits(desktop);
    }

    void trayCopy_windowHidden_headerOnClipboard_andAFailureIsNotified()
    {
        SingleInstance instance(instancePath());
        DesktopApp desktop(m_rig.agent(), instance, settingsPath());
        const QString id = startWithValidTrayProfile(desktop);
        QVERIFY(!id.isEmpty());
        MainWindow &window = desktop.window();
        auto *list = child<QListView>(&window, QStringLiteral("profileList"));
        const QString selected = list->currentIndex().data(ProfileIdRole).toString();
        QVERIFY(selected != id);

        // Out of sight (offscreen there is no tray to hide into: hide() stands
        // for it), the user copies from the tray menu.
        window.hide();
        QSignalSpy notified(&desktop.tray(), &TrayIcon::notified);
        QAction *copy = trayAction(desktop.tray(), id, QStringLiteral("trayCopyHeader"));
        QVERIFY(copy);
        QVERIFY(copy->isEnabled());
        copy->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(clipboard()->text().startsWith(bearer), 10'000);
        QVERIFY(m_rig.acceptedByServer(sensu, clipboard()->text().mid(bearer.size())));
        QCOMPARE(clipboard()->mimeData()->data(QStringLiteral("x-kde-passwordManagerHint")),
                 QByteArrayLiteral("secret"));
        QCOMPARE(list->currentIndex().data(ProfileIdRole).toString(), selected); // left alone
        QCOMPARE(notified.count(), 0); // nothing to say

        // The server ends the session (so this test comes after those that
        // copy). The next copy must renew, and cannot:
        // nobody sees the status bar, so the tray says why.
        clipboard()->clear();
        m_rig.emulator().post(QStringLiteral("/_emulator/revoke"),
                              {{QStringLiteral("server"), sensu}});
        copy = trayAction(desktop.tray(), id, QStringLiteral("trayCopyHeader"));
        QVERIFY(copy && copy->isEnabled()); // the tray does not know yet
        copy->trigger();
        const QString title = QStringLiteral("Nothing copied for ") + trayName;
        const auto titled = [&notified, &title] {
            for (const QList<QVariant> &notice : std::as_const(notified)) {
                if (notice.at(1).toString() == title) {
                    return notice.at(2).toString();
                }
            }
            return QString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(!titled().isEmpty(), 10'000);
        QVERIFY2(titled().startsWith(QStringLiteral("Could not copy a token for ") + trayName),
                 qPrintable(titled()));
        QVERIFY(clipboard()->text().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(window, id), int(ProfileStatus::State::LoginRequired),
                                  10'000);
        // Once the tray knows, it offers a login instead.
        QVERIFY(!trayAction(desktop.tray(), id, QStringLiteral("trayCopyHeader"))->isEnabled());
    }

    // The Settings dialog's "Request history" is the setting the engine's
    // history (the window's request tester and `tokenkeeper request`) reads
    // on every add, in the settings file they share; what is no longer kept
    // goes at once.
    void settings_requestHistory_keepNothingOrNoBodies_fromTheWindow()
    {
        SingleInstance instance(instancePath());
        DesktopApp desktop(m_rig.agent(), instance, SettingsStore::defaultPath());
        desktop.start();
        MainWindow &window = desktop.window();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        RequestHistory &history = m_rig.agent().engine().history();
        const QString path = m_rig.agent().engine().options().historyPath;
        const auto entry = [](const QString &target, const QByteArray &body) {
            HistoryEntry e;
            e.request.method = "POST";
            e.request.target = target;
            e.request.body = body;
            e.sentAt = QDateTime::currentDateTimeUtc();
            return e;
        };
        const auto bytes = [&path] {
            QFile file(path);
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        };
        QVERIFY(history.add(QStringLiteral("p"), entry(QStringLiteral("/before"), "body-one"), {}));
        QVERIFY(bytes().contains("body-one"));

        const auto choose = [&window](RequestHistory::Keep keep) {
            window.settingsAction()->trigger();
            auto *dialog = child<QDialog>(&window, QStringLiteral("settingsDialog"));
            QVERIFY(dialog);
            QTRY_VERIFY(dialog->isVisible());
            auto *combo = child<QComboBox>(dialog, QStringLiteral("historyKeepCombo"));
            QVERIFY(combo);
            combo->setCurrentIndex(combo->findData(int(keep)));
            QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                              Qt::LeftButton);
            QTRY_VERIFY(!dialog->isVisible());
        };
        choose(RequestHistory::Keep::WithoutBodies);
        QCOMPARE(SettingsStore(SettingsStore::defaultPath()).settings().requestHistory,
                 RequestHistory::Keep::WithoutBodies);
        QVERIFY(!bytes().contains("body-one")); // gone at once
        QVERIFY(bytes().contains("/before"));
        QVERIFY(history.add(QStringLiteral("p"), entry(QStringLiteral("/after"), "body-two"), {}));
        QVERIFY(bytes().contains("/after"));
        QVERIFY(!bytes().contains("body-two"));

        choose(RequestHistory::Keep::Nothing);
        QVERIFY(!QFile::exists(path));
        QVERIFY(history.add(QStringLiteral("p"), entry(QStringLiteral("/never"), "x"), {}));
        QVERIFY(!QFile::exists(path));

        choose(RequestHistory::Keep::Everything);
        QVERIFY(
            history.add(QStringLiteral("p"), entry(QStringLiteral("/again"), "body-three"), {}));
        QVERIFY(bytes().contains("body-three"));
        QVERIFY(history.forget(QStringLiteral("p")));
    }

    void settingsAction_ctrlComma_inTheFileMenu_asksForSettings()
    {
        const SystemClock clock;
        SecretClipboard secretClipboard(clipboard());
        MainWindow window(m_rig.engine(), clock, &secretClipboard);
        QAction *settings = window.settingsAction();
        QCOMPARE(settings->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Comma));
        QCOMPARE(settings->menuRole(), QAction::PreferencesRole);
        QSignalSpy requested(&window, &MainWindow::settingsRequested);
        settings->trigger();
        QCOMPARE(requested.count(), 1);
    }

    // Last: it adds a profile of its own. The window's Delete with the real
    // keychain (its logic on a memory store: tst_mainwindow).
    // Near the end: the session it leaves behind is spent (its rotation was
    // never saved), and zz_delete's logout would end it anyway.
    void zy_quit_aRotationTheKeychainRefuses_isNotifiedAndExits5()
    {
        const QString name = QStringLiteral("quit sensu");
        QVERIFY(m_rig.addProfile(name, sensu, DesktopRig::LogIn::Yes));
        m_rig.engine().reloadProfiles();
        SingleInstance instance(instancePath());
        DesktopApp desktop(m_rig.agent(), instance, settingsPath(), SystemTray::Assume);
        QVERIFY(!startWithValidTrayProfile(desktop).isEmpty());
        TokenService &tokens = m_rig.agent().engine().tokens();
        const auto profile = m_rig.agent().engine().profileStore().find(name);
        QVERIFY(profile);
        // The agent has read the profile's secrets from the keychain.
        std::optional<Result<TokenSet>> first;
        tokens.token(*profile, 1, &desktop, [&first](const Result<TokenSet> &r) { first = r; });
        QTRY_VERIFY_WITH_TIMEOUT(first.has_value(), 10'000);
        QVERIFY(*first);
        // From here on the keychain refuses every write.
        MemorySecretStore refusing;
        refusing.setFailWrites(true);
        SecretStore *keychain = tokens.secretStore();
        tokens.setSecretStore(&refusing);

        QSignalSpy notified(&desktop.tray(), &TrayIcon::notified);
        bool renewed = false;
        QString failure;
        const std::optional<int> code = runEventLoop(
            [&] {
                // Sensu rotates the refresh token; the agent keeps it in memory only.
                tokens.token(*profile, TokenProvider::forceRenewal, &desktop,
                             [&](const Result<TokenSet> &result) {
                                 renewed = bool(result);
                                 failure = result ? QString() : result.error().message();
                                 trayQuit(desktop)->trigger();
                             });
            },
            30'000);
        tokens.setSecretStore(keychain);
        QVERIFY2(renewed, qPrintable(failure));
        QCOMPARE(code, std::optional<int>(5));
        QCOMPARE(notified.count(), 1);
        const QString message = notified.at(0).at(2).toString();
        QVERIFY2(message.contains(name) && message.contains(QStringLiteral("log in")),
                 qPrintable(message));
    }

    void zz_delete_asksFirst_thenForgetsTheKeychainSecretsAndRemovesTheProfile()
    {
        const QString name = QStringLiteral("delete sensu");
        QVERIFY(m_rig.addProfile(name, sensu, DesktopRig::LogIn::Yes));
        m_rig.engine().reloadProfiles();
        const SystemClock clock;
        SecretClipboard secretClipboard(clipboard());
        MainWindow window(m_rig.engine(), clock, &secretClipboard);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(window.selectProfile(name));
        const QString id = m_rig.engine().scheduler().find(name)->id;
        QVERIFY(keychainHolds(id)); // logged in: its secrets are in the keychain
        auto *list = child<QListView>(&window, QStringLiteral("profileList"));
        list->setFocus();
        QTRY_VERIFY(list->hasFocus());

        // Cancel leaves everything as it was.
        QTest::keyClick(list, Qt::Key_Delete);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = window.findChild<QMessageBox *>(QStringLiteral("deleteConfirmation")))
                    && box->isVisible());
        QVERIFY(box->text().contains(name));
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        QTRY_VERIFY(!window.findChild<QMessageBox *>(QStringLiteral("deleteConfirmation")));
        QVERIFY(m_rig.engine().scheduler().find(name));
        QVERIFY(keychainHolds(id));

        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        list->setFocus();
        QTRY_VERIFY(list->hasFocus());
        QTest::keyClick(list, Qt::Key_Delete);
        QTRY_VERIFY((box = window.findChild<QMessageBox *>(QStringLiteral("deleteConfirmation")))
                    && box->isVisible());
        QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("confirmDeleteButton")),
                          Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!m_rig.engine().scheduler().find(name), 10'000);
        QVERIFY(!m_rig.engine().profileStore().find(name));
        QVERIFY(!keychainHolds(id));
    }

private:
    static QAction *trayQuit(DesktopApp &desktop)
    {
        desktop.tray().rebuildMenu();
        return actionNamed(desktop.tray().menu(), QStringLiteral("trayQuit"));
    }

    // Closing the window ends the app: the event loop returns, the clipboard
    // holds no secret, and the agent has stopped answering.
    void closeQuits(DesktopApp &desktop)
    {
        const QString id = startWithValidTrayProfile(desktop);
        QVERIFY(!id.isEmpty());
        MainWindow &window = desktop.window();
        QSignalSpy copied(&window, &MainWindow::copyFinished);
        window.copyHeaderOf(id);
        QTRY_COMPARE_WITH_TIMEOUT(copied.count(), 1, 10'000);
        QVERIFY(clipboard()->text().startsWith(bearer));

        const std::optional<int> code = runEventLoop([&window] { closeAsUser(window); }, 20'000);
        QCOMPARE(code, std::optional<int>(0)); // ended by the app, not by the guard
        QVERIFY(!window.isVisible());
        QVERIFY(!desktop.tray().windowInTray());
        QVERIFY(clipboard()->text().isEmpty());

        AgentClient client;
        std::optional<std::optional<Result<QJsonObject>>> answer;
        client.request(
            {{QStringLiteral("cmd"), QStringLiteral("status")}}, 2000,
            [&answer](std::optional<Result<QJsonObject>> reply) { answer = std::move(reply); });
        QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 5000);
        QVERIFY(!answer->has_value() || !answer->value().ok());
    }
};

QTEST_MAIN(TestDesktopApp)
#include "tst_desktopapp.moc"
