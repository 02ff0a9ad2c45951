// The desktop app: wiring only. It hosts the agent in-process, so the command
// line's `token`, `header` and `status` are answered by this process too.
#include "agent/agent.h"
#include "auth/tokenservice.h"
#include "core/clock.h"
#include "ui/mainwindow.h"
#include "ui/secretclipboard.h"

#include <QApplication>
#include <QClipboard>
#include <QMessageBox>

int main(int argc, char *argv[])
{
    using namespace tokenkeeper;
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tokenkeeper"));
    QApplication::setApplicationDisplayName(QStringLiteral("Tokenkeeper"));
    QApplication::setApplicationVersion(QStringLiteral(TOKENKEEPER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("tokenkeeper"));

    Agent agent(Agent::Setup::fromEnvironment());
    if (const Result<void> started = agent.start(); !started) {
        // Before the event loop runs: the only loop this dialog can nest in is its own.
        QMessageBox::critical(nullptr, QStringLiteral("Tokenkeeper"), started.error().message());
        return 1;
    }

    const SystemClock clock;
    SecretClipboard clipboard(QGuiApplication::clipboard());
    MainWindow window(agent.scheduler(), agent.tokens(), agent.presets(), clock, &clipboard);

    // Closing the window quits, after renewals under way have stored what they got.
    QApplication::setQuitOnLastWindowClosed(false);
    QObject::connect(&app, &QGuiApplication::lastWindowClosed, &agent, [&agent, &clipboard] {
        clipboard.clear();
        agent.stop(5000, [] { QCoreApplication::quit(); });
    });
    window.show();
    return app.exec();
}
