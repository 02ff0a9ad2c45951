#include "desktopapp.h"

#include "agent/agent.h"
#include "auth/tokenservice.h"
#include "engine/engine.h"
#include "instance/singleinstance.h"
#include "keychainbanner.h"
#include "mainwindow.h"
#include "models/profilelistmodel.h"
#include "request/requesthistory.h"
#include "requestpane.h"
#include "scheduler/refreshscheduler.h"
#include "settingsdialog.h"
#include "trayicon.h"

#include <QApplication>
#include <QClipboard>
#include <QStatusBar>
#include <QTimer>

namespace tokenkeeper {

DesktopApp::DesktopApp(Agent &agent, SingleInstance &instance, const QString &settingsPath,
                       TrayIcon::SystemTray tray, QObject *parent)
    : QObject(parent)
    , m_agent(agent)
    , m_instance(instance)
    , m_settings(settingsPath)
    , m_clipboard(QGuiApplication::clipboard())
    , m_trayAvailable(tray == TrayIcon::SystemTray::Assume || TrayIcon::isAvailable())
    , m_window(std::make_unique<MainWindow>(agent.engine(), agent.engine().clock(), &m_clipboard))
    , m_banner(new KeychainBanner(agent.engine().tokens()))
    , m_tray(std::make_unique<TrayIcon>(m_window->model(), tray))
{
    SettingsDialog::apply(m_settings.settings(), &m_clipboard, agent.engine().scheduler());
    agent.engine().setLockWhenIdle(m_settings.settings().lockWhenIdleMinutes);
    connect(&m_settings, &SettingsStore::changed, &agent.engine(),
            [&engine = agent.engine()](const AppSettings &changed) {
                engine.setLockWhenIdle(changed.lockWhenIdleMinutes);
            });

    // No keychain: the banner says so, and offers to keep secrets in memory only.
    m_banner->setMemoryOnlyOffered(true);
    m_window->setBanner(m_banner);
    connect(m_banner, &KeychainBanner::retryRequested, this, [this] {
        m_agent.engine().scheduler().networkReachable(); // retries whatever is backing off, now
    });
    connect(m_banner, &KeychainBanner::memoryOnlyChosen, &m_agent.engine(),
            &Engine::useMemorySecrets);
    connect(m_window.get(), &MainWindow::settingsRequested, this, &DesktopApp::openSettings);
    // What the history no longer keeps goes at once, from memory and the file.
    connect(&m_settings, &SettingsStore::changed, this, [this](const AppSettings &changed) {
        if (const Result<void> applied =
                m_agent.engine().history().applyKeep(changed.requestHistory);
            !applied) {
            m_window->statusBar()->showMessage(applied.error().message());
        }
        m_window->requestPane()->showHistoryAgain();
    });

    connect(&m_instance, &SingleInstance::raiseRequested, this,
            [this](const QString &activationToken) {
                if (!activationToken.isEmpty()) { // Wayland: allowed to take focus
                    qputenv("XDG_ACTIVATION_TOKEN", activationToken.toUtf8());
                }
                raiseWindow();
            });
    wireTray();

    QApplication::setQuitOnLastWindowClosed(false);
    connect(qApp, &QGuiApplication::lastWindowClosed, this, [this] {
        if (!m_tray->windowInTray()) { // a dialog closed while the window is in the tray: stay
            quit();
        }
    });
}

DesktopApp::~DesktopApp() = default;

void DesktopApp::wireTray()
{
    TrayIcon *tray = m_tray.get();
    MainWindow *window = m_window.get();
    tray->keepInTray(window);
    tray->setCloseToTray(m_settings.settings().closeToTrayWith(m_trayAvailable));
    connect(&m_settings, &SettingsStore::changed, tray, [this](const AppSettings &changed) {
        m_tray->setCloseToTray(changed.closeToTrayWith(m_trayAvailable));
    });
    connect(tray, &TrayIcon::showWindowRequested, this, &DesktopApp::raiseWindow);
    connect(tray, &TrayIcon::toggleWindowRequested, this, [this] {
        if (m_window->isVisible() && !m_window->isMinimized()) {
            m_tray->hideToTray();
        } else {
            raiseWindow();
        }
    });
    connect(tray, &TrayIcon::showProfileRequested, this, [this](const QString &id) {
        raiseWindow();
        m_window->selectProfile(id);
    });
    // The window's own copy (token request, clipboard, countdown), the selection left alone.
    connect(tray, &TrayIcon::copyHeaderRequested, window, &MainWindow::copyHeaderOf);
    connect(window, &MainWindow::copyFinished, tray,
            [this](const QString &profileName, bool ok, const QString &message) {
                if (!ok && !m_window->isVisible()) { // nobody sees the status bar
                    m_tray->notify(profileName, tr("Nothing copied for %1").arg(profileName),
                                   message);
                }
            });
    connect(tray, &TrayIcon::refreshRequested, &m_agent,
            [this](const QString &id) { m_agent.engine().scheduler().refreshNow(id); });
    connect(tray, &TrayIcon::settingsRequested, this, &DesktopApp::openSettings);
    connect(tray, &TrayIcon::lockRequested, window, &MainWindow::lock);
    connect(tray, &TrayIcon::quitRequested, this, &DesktopApp::quit);
}

void DesktopApp::start()
{
    if (const Result<void> listening = m_instance.listen(); !listening) {
        qWarning("%s", qPrintable(listening.error().message())); // a later start says so
    }
    m_tray->show();
    if (!m_settings.settings().startMinimized) {
        m_window->show();
    } else if (!m_tray->hideToTray()) {
        m_window->showMinimized(); // no tray to start in
    }
}

void DesktopApp::raiseWindow()
{
    m_window->show();
    m_window->setWindowState(m_window->windowState() & ~Qt::WindowMinimized);
    m_window->raise();
    m_window->activateWindow();
}

void DesktopApp::openSettings()
{
    if (!m_settingsDialog) {
        m_settingsDialog =
            new SettingsDialog(m_settings, &m_clipboard, m_agent.engine().scheduler(),
                               m_trayAvailable, m_window.get());
        m_settingsDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_settingsDialog->show();
    m_settingsDialog->raise();
    m_settingsDialog->activateWindow();
}

void DesktopApp::quit()
{
    if (std::exchange(m_quitting, true)) {
        return;
    }
    m_clipboard.clear();
    m_agent.stop(m_agent.engine().stopGraceMs(), [this](const Result<void> &saved) {
        if (saved) {
            QCoreApplication::quit();
            return;
        }
        // Said loudly: in the log, in the exit code, and on the desktop,
        // which keeps the notification after we are gone.
        qCritical("%s", qUtf8Printable(saved.error().message()));
        m_tray->notify({}, tr("A login could not be saved"), saved.error().message());
        QTimer::singleShot(m_tray->isShown() ? notificationGraceMs : 0, qApp,
                           [] { QCoreApplication::exit(5); });
    });
}

} // namespace tokenkeeper
