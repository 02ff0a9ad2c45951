// The desktop app: wiring only. It hosts the agent in-process, so the command
// line's `token`, `header` and `status` are answered by this process too.
#include "agent/agent.h"
#include "auth/tokenservice.h"
#include "core/clock.h"
#include "instance/singleinstance.h"
#include "models/profilelistmodel.h"
#include "scheduler/refreshscheduler.h"
#include "settings/settingsstore.h"
#include "ui/keychainbanner.h"
#include "ui/mainwindow.h"
#include "ui/secretclipboard.h"
#include "ui/settingsdialog.h"
#include "ui/trayicon.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QMessageBox>
#include <QPointer>
#include <QVBoxLayout>

int main(int argc, char *argv[])
{
    using namespace tokenkeeper;
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tokenkeeper"));
    QApplication::setApplicationDisplayName(QStringLiteral("Tokenkeeper"));
    QApplication::setApplicationVersion(QStringLiteral(TOKENKEEPER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("tokenkeeper"));
    QApplication::setWindowIcon(TrayIcon::appIcon());

    // Started again: the running app raises its window, and this one goes.
    SingleInstance instance;
    if (instance.raiseRunning()) {
        return 0;
    }
    Agent agent(Agent::Setup::fromEnvironment());
    if (const Result<void> started = agent.start(); !started) {
        // Before the event loop runs: the only loop this dialog can nest in is its own.
        QMessageBox::critical(nullptr, QStringLiteral("Tokenkeeper"), started.error().message());
        return 1;
    }
    if (const Result<void> listening = instance.listen(); !listening) {
        qWarning("%s", qPrintable(listening.error().message())); // a later start says so
    }

    SettingsStore settings(SettingsStore::defaultPath());
    const SystemClock clock;
    SecretClipboard clipboard(QGuiApplication::clipboard());
    SettingsDialog::apply(settings.settings(), &clipboard, agent.scheduler());
    MainWindow window(agent, clock, &clipboard);

    // No keychain: a bar across the top of the window says so and what to do.
    // (MainWindow has no place for a banner yet: it goes above its central widget.)
    auto *banner = new KeychainBanner(agent.tokens());
    auto *central = new QWidget;
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->addWidget(banner);
    centralLayout->addWidget(window.takeCentralWidget(), 1);
    window.setCentralWidget(central);
    QObject::connect(banner, &KeychainBanner::retryRequested, &agent, [&agent] {
        agent.scheduler().networkReachable(); // retries whatever is backing off, now
    });

    const bool trayAvailable = TrayIcon::isAvailable();
    TrayIcon tray(window.model());
    tray.keepInTray(&window);
    tray.setCloseToTray(settings.settings().closeToTrayWith(trayAvailable));
    QObject::connect(&settings, &SettingsStore::changed, &tray,
                     [&tray, trayAvailable](const AppSettings &changed) {
                         tray.setCloseToTray(changed.closeToTrayWith(trayAvailable));
                     });
    tray.show();

    const auto raise = [&window] {
        window.show();
        window.setWindowState(window.windowState() & ~Qt::WindowMinimized);
        window.raise();
        window.activateWindow();
    };
    QObject::connect(&instance, &SingleInstance::raiseRequested, &window,
                     [raise](const QString &activationToken) {
                         if (!activationToken.isEmpty()) { // Wayland: allowed to take focus
                             qputenv("XDG_ACTIVATION_TOKEN", activationToken.toUtf8());
                         }
                         raise();
                     });
    QObject::connect(&tray, &TrayIcon::showWindowRequested, &window, raise);
    QObject::connect(&tray, &TrayIcon::toggleWindowRequested, &window, [&window, &tray, raise] {
        if (window.isVisible() && !window.isMinimized()) {
            tray.hideToTray();
        } else {
            raise();
        }
    });
    QObject::connect(&tray, &TrayIcon::showProfileRequested, &window,
                     [&window, raise](const QString &id) {
                         raise();
                         window.selectProfile(id);
                     });
    // The window's own copy: the same token request, clipboard and countdown.
    QObject::connect(&tray, &TrayIcon::copyHeaderRequested, &window, [&window](const QString &id) {
        if (window.selectProfile(id)) {
            window.copyHeader();
        }
    });
    QObject::connect(&tray, &TrayIcon::refreshRequested, &agent,
                     [&agent](const QString &id) { agent.scheduler().refreshNow(id); });

    QPointer<SettingsDialog> settingsDialog;
    const auto openSettings = [&] {
        if (!settingsDialog) {
            settingsDialog =
                new SettingsDialog(settings, &clipboard, agent.scheduler(), trayAvailable, &window);
            settingsDialog->setAttribute(Qt::WA_DeleteOnClose);
        }
        settingsDialog->show();
        settingsDialog->raise();
        settingsDialog->activateWindow();
    };
    QObject::connect(&tray, &TrayIcon::settingsRequested, &window, openSettings);
    auto *settingsAction = new QAction(QObject::tr("Settings…"), &window);
    settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settingsAction->setMenuRole(QAction::PreferencesRole);
    QObject::connect(settingsAction, &QAction::triggered, &window, openSettings);
    window.addAction(settingsAction);

    // Quitting (the window closed for good, or Quit in the tray) stores what
    // renewals under way got first, and clears the clipboard.
    bool quitting = false;
    const auto quit = [&agent, &clipboard, &quitting] {
        if (!std::exchange(quitting, true)) {
            clipboard.clear();
            agent.stop(5000, [] { QCoreApplication::quit(); });
        }
    };
    QApplication::setQuitOnLastWindowClosed(false);
    QObject::connect(&app, &QGuiApplication::lastWindowClosed, &agent, [&tray, quit] {
        if (!tray.windowInTray()) { // a dialog closed while the window is in the tray: stay
            quit();
        }
    });
    QObject::connect(&tray, &TrayIcon::quitRequested, &agent, quit);

    if (!settings.settings().startMinimized) {
        window.show();
    } else if (!tray.hideToTray()) {
        window.showMinimized(); // no tray to start in
    }
    return app.exec();
}
