// The desktop app: wiring only (ui/desktopapp.h puts the window, tray and
// settings together). It hosts the agent in-process, so the command line's
// `token`, `header` and `status` are answered by this process too. Built a
// second time with TOKENKEEPER_DEMO_HOOKS as tokenkeeper-desktop-demo, for
// `make run` and the screenshots (see ui/demoview.h).
#include "agent/agent.h"
#include "engine/engine.h"
#include "instance/singleinstance.h"
#include "platform/processguard.h"
#include "platform/signalwatcher.h"
#include "settings/settingsstore.h"
#include "ui/desktopapp.h"
#include "ui/palettefix.h"
#include "ui/trayicon.h"
#ifdef TOKENKEEPER_DEMO_HOOKS
#include "ui/demoview.h"
#endif

#include <QApplication>
#include <QMessageBox>

#include <csignal>
#include <pthread.h>

int main(int argc, char *argv[])
{
    using namespace tokenkeeper;
    // Before any secret is in memory: no core file, no ptrace by others.
    const QString unprotected = platform::protectProcess();
    // SIGINT and SIGTERM blocked before QApplication starts threads (they
    // inherit it), then read by the watcher: they arrive as a Qt signal.
    sigset_t quitSignals;
    sigemptyset(&quitSignals);
    sigaddset(&quitSignals, SIGINT);
    sigaddset(&quitSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &quitSignals, nullptr);
    QApplication app(argc, argv);
    if (!unprotected.isEmpty()) {
        qWarning("tokenkeeper: %s", qUtf8Printable(unprotected));
    }
    SignalWatcher signalWatcher({SIGINT, SIGTERM});
    QApplication::setApplicationName(QStringLiteral("tokenkeeper"));
    QApplication::setApplicationDisplayName(QStringLiteral("Tokenkeeper"));
    QApplication::setApplicationVersion(QStringLiteral(TOKENKEEPER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("tokenkeeper"));
    QApplication::setWindowIcon(TrayIcon::appIcon());
    mendPlaceholderText();

    // Started again: the running app raises its window, and this one goes.
    SingleInstance instance;
    if (instance.raiseRunning()) {
        return 0;
    }
    Engine engine(EngineOptions::fromEnvironment());
    Agent agent(engine);
    if (const Result<void> started = agent.start(); !started) {
        // Before the event loop runs: the only loop this dialog can nest in is its own.
        QMessageBox::critical(nullptr, QStringLiteral("Tokenkeeper"), started.error().message());
        return 1;
    }

    DesktopApp desktop(agent, instance, SettingsStore::defaultPath());
    // Killed politely: the clipboard is cleared as for the tray's Quit.
    QObject::connect(&signalWatcher, &SignalWatcher::received, &desktop, &DesktopApp::quit);
    desktop.start();
#ifdef TOKENKEEPER_DEMO_HOOKS
    openDemoView(desktop);
#endif
    return app.exec();
}
