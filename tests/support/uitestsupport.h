#pragma once

// What the desktop app's tests share: a widget found by its object name, and
// the rig that puts the real engine under the real window.
//
//   Cli (own XDG dirs) --profile add [, login]--> profiles file, keychain
//        |                                          (the demo server on 127.0.0.1)
//        `-- shareEnvironmentWithThisProcess()
//                 --> Agent in this process, on the same directories
//                       --> MainWindow, shown (showWindow())
//                       or a DesktopApp the test builds on agent()
//
// Or, for the window's logic, all in this process (startInMemory()):
//
//   Engine (the rig's own directories, MemorySecretStore, a ManualClock,
//           a ManualWakeTimer) --ProfileManager::add, logIn--> the demo server
//        `--> MainWindow, shown
//
// Widgets are needed here, so this is a library of its own
// (tokenkeeper_uitestsupport); tokenkeeper_testsupport stays free of them.
#include "fakes.h"
#include "presetcases.h"
#include "testsupport.h"

#include <QObject>
#include <QString>

class QAction;
class QWidget;

#include <chrono>
#include <memory>

namespace tokenkeeper {
class Agent;
class Engine;
class Clock;
class MainWindow;
class ManualClock;
class MemorySecretStore;
class SecretClipboard;
} // namespace tokenkeeper

namespace tokenkeeper::test {

// The object of type T named `name` under `parent`; null, with a warning
// that names what is missing, if there is none.
template<typename T> T *child(const QObject *parent, const QString &name)
{
    T *found = parent ? parent->findChild<T *>(name) : nullptr;
    if (!found) {
        qWarning("no %s named %s", T::staticMetaObject.className(), qPrintable(name));
    }
    return found;
}

// The action named `name` among `widget`'s own (a menu's entries); null, with
// a warning, if there is none.
QAction *actionNamed(const QWidget *widget, const QString &name);

// Closes `window` as its title bar's close button does: a spontaneous close
// event to its native window, which a close-to-tray filter may turn down.
// (QWidget::close() from code is not spontaneous.)
void closeAsUser(QWidget &window);

class DesktopRig final
{
public:
    enum class LogIn { No, Yes };

    DesktopRig();
    ~DesktopRig();
    Q_DISABLE_COPY_MOVE(DesktopRig)

    // Adds a profile of `preset` on the demo server (started the first time)
    // with the command line, logs it in with LogIn::Yes, and gives this
    // process the command line's directories. False, with a warning saying
    // why, when something failed.
    bool addProfile(const QString &name, const QString &preset, LogIn logIn);
    // Starts an agent in this process on those directories, as the desktop
    // app hosts one.
    bool startAgent();
    // Instead of an agent: an engine in this process on the rig's own
    // directories, its secrets in memory (no keychain), `clock` its time and
    // a wake timer that fires only when the test says (wakeTimer()). From
    // then on addProfile() adds and logs in through this engine, in process.
    bool startInMemory(const ManualClock &clock);
    ManualWakeTimer &wakeTimer() { return m_wakeTimer; }
    MemorySecretStore &memorySecrets() const { return *m_memorySecrets; }
    // Closes the window, lets renewals under way end and ends the agent (or
    // the in-memory engine), so that the next startAgent() can take its lock.
    void stopAgent();
    // The main window on the agent, `clock` and a secret clipboard that
    // clears after `clearAfter`: shown, exposed and active.
    bool showWindow(const Clock &clock, std::chrono::milliseconds clearAfter);

    Emulator &emulator() { return m_emulator; }
    Cli &cli() { return m_cli; }
    Agent &agent() const { return *m_agent; }
    Engine &engine() const { return *m_engine; }
    MainWindow &window() const { return *m_window; }
    SecretClipboard &clipboard() const { return *m_clipboard; }

    // Whether the demo server accepts `token` on the preset's protected API.
    bool acceptedByServer(const QString &preset, const QString &token);

private:
    bool addProfileInProcess(const QString &name, const PresetCase &demo, LogIn logIn);

    Emulator m_emulator;
    Cli m_cli;
    ManualWakeTimer m_wakeTimer;
    std::unique_ptr<MemorySecretStore> m_memorySecrets;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Agent> m_agent;
    std::unique_ptr<SecretClipboard> m_clipboard;
    std::unique_ptr<MainWindow> m_window;
};

} // namespace tokenkeeper::test
