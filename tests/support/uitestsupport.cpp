#include "uitestsupport.h"

#include "agent/agent.h"
#include "core/clock.h"
#include "engine/engine.h"
#include "engine/profilemanager.h"
#include "engine/profilevalidator.h"
#include "secrets/memorysecretstore.h"
#include "ui/mainwindow.h"
#include "ui/secretclipboard.h"

#include <QAction>
#include <QCloseEvent>
#include <QGuiApplication>
#include <QSpontaneKeyEvent>
#include <QTest>
#include <QWidget>
#include <QWindow>

namespace tokenkeeper::test {

QAction *actionNamed(const QWidget *widget, const QString &name)
{
    const QList<QAction *> actions = widget->actions();
    for (QAction *action : actions) {
        if (action->objectName() == name) {
            return action;
        }
    }
    qWarning("no action named %s", qPrintable(name));
    return nullptr;
}

void closeAsUser(QWidget &window)
{
    QCloseEvent close;
    QSpontaneKeyEvent::setSpontaneous(&close); // QTest's way to mark an event the user's
    // notify(), not sendEvent(): sendEvent() would take the mark away.
    QCoreApplication::instance()->notify(window.windowHandle(), &close);
}

DesktopRig::DesktopRig() = default;

DesktopRig::~DesktopRig()
{
    m_window.reset();
    m_clipboard.reset();
    m_agent.reset();
    m_engine.reset();
}

bool DesktopRig::addProfile(const QString &name, const QString &preset, LogIn logIn)
{
    if (!m_emulator.isRunning() && !m_emulator.start()) {
        return false; // the emulator said why
    }
    const PresetCase demo = presetCase(preset);
    if (demo.preset.isEmpty()) {
        return false;
    }
    if (m_memorySecrets) {
        return addProfileInProcess(name, demo, logIn);
    }
    const CliResult added =
        m_cli.run(QStringList {QStringLiteral("profile"), QStringLiteral("add"), name,
                               QStringLiteral("--preset"), demo.preset, QStringLiteral("--url"),
                               m_emulator.baseUrl().toString()}
                  + demo.addArgs);
    if (added.exitCode != 0) {
        qWarning("profile add %s: %s", qPrintable(name), qPrintable(added.describe()));
        return false;
    }
    if (logIn == LogIn::Yes) {
        // A login goes through the agent this process hosts, if it runs.
        const CliResult login =
            m_cli.runServingEvents({QStringLiteral("login"), name}, demo.secret + '\n');
        if (login.exitCode != 0) {
            qWarning("login %s: %s", qPrintable(name), qPrintable(login.describe()));
            return false;
        }
    }
    m_cli.shareEnvironmentWithThisProcess();
    return true;
}

bool DesktopRig::addProfileInProcess(const QString &name, const PresetCase &demo, LogIn logIn)
{
    // The case's command-line options, as the editor's form.
    ProfileForm form;
    form.name = name;
    form.preset = demo.preset;
    form.baseUrl = m_emulator.baseUrl().toString();
    for (qsizetype i = 0; i + 1 < demo.addArgs.size(); i += 2) {
        const QString &option = demo.addArgs.at(i);
        const QString &value = demo.addArgs.at(i + 1);
        if (option == u"--username") {
            form.username = value;
        } else if (option == u"--client-id") {
            form.clientId = value;
        } else if (option == u"--param") {
            form.params.insert(value.section(u'=', 0, 0), value.section(u'=', 1));
        } else {
            qWarning("the in-process rig does not know %s", qPrintable(option));
            return false;
        }
    }
    auto checked = ProfileValidator(m_engine->presets()).toProfile(form);
    auto added = checked ? m_engine->profiles().add(*checked) : Result<Profile>(checked.error());
    if (!added) {
        qWarning("profile add %s: %s", qPrintable(name), qPrintable(added.error().message()));
        return false;
    }
    if (logIn == LogIn::No) {
        return true;
    }
    std::optional<Result<TokenSet>> loggedIn;
    m_engine->profiles().logIn(*added, QString::fromUtf8(demo.secret), false, {}, m_engine.get(),
                               [&loggedIn](Result<TokenSet> result) { loggedIn = result; });
    if (!QTest::qWaitFor([&loggedIn] { return loggedIn.has_value(); }, 15'000) || !*loggedIn) {
        qWarning("login %s: %s", qPrintable(name),
                 loggedIn ? qPrintable(loggedIn->error().message()) : "no answer");
        return false;
    }
    return true;
}

bool DesktopRig::startInMemory(const ManualClock &clock)
{
    m_memorySecrets = std::make_unique<MemorySecretStore>();
    EngineOptions options;
    options.profilesPath = m_cli.configDir() + QStringLiteral("/tokenkeeper/profiles.json");
    options.presetsDirectory = m_cli.configDir() + QStringLiteral("/tokenkeeper/presets");
    options.historyPath = m_cli.dataDir() + QStringLiteral("/tokenkeeper/history.json");
    options.settingsPath = m_cli.configDir() + QStringLiteral("/tokenkeeper/desktop.conf");
    options.httpTimeoutMs = 5'000;
    options.requestTimeoutMs = 10'000;
    options.secrets = m_memorySecrets.get();
    options.clock = &clock;
    options.wakeTimer = &m_wakeTimer;
    m_engine = std::make_unique<Engine>(options);
    if (const Result<void> started = m_engine->start(); !started) {
        qWarning("the engine did not start: %s", qPrintable(started.error().message()));
        m_engine.reset();
        return false;
    }
    return m_emulator.isRunning() || m_emulator.start();
}

bool DesktopRig::startAgent()
{
    m_engine = std::make_unique<Engine>(EngineOptions::fromEnvironment());
    m_agent = std::make_unique<Agent>(*m_engine);
    const Result<void> started = m_agent->start();
    if (!started) {
        qWarning("the agent did not start: %s", qPrintable(started.error().message()));
        m_agent.reset();
        m_engine.reset();
        return false;
    }
    return true;
}

void DesktopRig::stopAgent()
{
    m_window.reset();
    m_clipboard.reset();
    if (!m_agent) {
        m_engine.reset();
        return;
    }
    bool stopped = false;
    m_agent->stop(5000, [&stopped](const Result<void> &) { stopped = true; });
    if (!QTest::qWaitFor([&stopped] { return stopped; }, 10'000)) {
        qWarning("the agent did not stop in time");
    }
    m_agent.reset();
    m_engine.reset();
}

bool DesktopRig::showWindow(const Clock &clock, std::chrono::milliseconds clearAfter)
{
    if (!m_engine) {
        qWarning("no engine for the window: startAgent() or startInMemory() first");
        return false;
    }
    m_clipboard = std::make_unique<SecretClipboard>(QGuiApplication::clipboard());
    m_clipboard->setClearAfter(clearAfter);
    m_window = std::make_unique<MainWindow>(*m_engine, clock, m_clipboard.get());
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get())) {
        qWarning("the window was not exposed");
        return false;
    }
    m_window->activateWindow();
    if (!QTest::qWaitForWindowActive(m_window.get())) {
        qWarning("the window did not become active");
        return false;
    }
    return true;
}

bool DesktopRig::acceptedByServer(const QString &preset, const QString &token)
{
    return m_emulator.call(QByteArrayLiteral("GET"), presetCase(preset).apiPath, token.toUtf8())
        == 200;
}

} // namespace tokenkeeper::test
