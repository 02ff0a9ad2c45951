#pragma once

#include "settings/settingsstore.h"
#include "ui/secretclipboard.h"
#include "ui/trayicon.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace tokenkeeper {

class Agent;
class KeychainBanner;
class MainWindow;
class SettingsDialog;
class SingleInstance;

// The desktop app put together around a started agent: the main window with
// its keychain banner, the tray, the settings and the clipboard, and how they
// talk to each other. main() only starts the agent and this.
//
//   tray "Copy header" --> window.copyHeaderOf(id) (the selection stays)
//        copyFinished(ok = false) while the window is hidden --> tray notification
//   keychain failure --> banner (offers "memory only") --> Engine::useMemorySecrets()
//   window File > Settings…, tray "Settings…" --> one SettingsDialog
//   a second start --> raiseWindow()
//   tray "Quit", the window closed for good, SIGINT/SIGTERM (quit())
//        --> clipboard cleared --> Agent::stop() --> the event loop ends
//            (a rotation the keychain would not take: a notification, exit 5)
class DesktopApp final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DesktopApp)

public:
    // `agent` has started; `instance` answers later starts once start() ran.
    // `tray`: whether to look for a system tray or take one for granted (tests,
    // offscreen, where there is none).
    DesktopApp(Agent &agent, SingleInstance &instance, const QString &settingsPath,
               TrayIcon::SystemTray tray = TrayIcon::SystemTray::Detect, QObject *parent = nullptr);
    ~DesktopApp() override;

    // Listens for later starts and shows the window, or keeps it in the tray
    // (start minimized).
    void start();

    MainWindow &window() const { return *m_window; }
    TrayIcon &tray() const { return *m_tray; }
    KeychainBanner &banner() const { return *m_banner; }

public Q_SLOTS:
    void raiseWindow();
    void openSettings();
    // Clears the clipboard, lets renewals under way store what they got,
    // then ends the event loop. Only the first call counts.
    void quit();

private:
    // How long a quit waits after a notification, so that it reaches the desktop.
    static constexpr int notificationGraceMs = 2000;

    void wireTray();

    Agent &m_agent;
    SingleInstance &m_instance;
    SettingsStore m_settings;
    SecretClipboard m_clipboard;
    const bool m_trayAvailable;
    std::unique_ptr<MainWindow> m_window;
    KeychainBanner *m_banner; // the window's
    std::unique_ptr<TrayIcon> m_tray;
    QPointer<SettingsDialog> m_settingsDialog;
    bool m_quitting = false;
};

} // namespace tokenkeeper
