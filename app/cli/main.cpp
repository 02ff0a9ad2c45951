// The command line: wiring only. The commands live in lib/cli.
#include "cli/commandline.h"
#include "platform/processguard.h"
#include "platform/signalwatcher.h"

#include <QCoreApplication>
#include <QTimer>

#include <csignal>

int main(int argc, char *argv[])
{
    // Before any secret is in memory: no core file, no ptrace by others.
    const QString unprotected = tokenkeeper::platform::protectProcess();
    QCoreApplication app(argc, argv);
    if (!unprotected.isEmpty()) {
        qWarning("tokenkeeper: %s", qUtf8Printable(unprotected));
    }
    QCoreApplication::setApplicationName(QStringLiteral("tokenkeeper"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TOKENKEEPER_VERSION));
    // Before any thread starts (the keychain's D-Bus one): SIGINT and SIGTERM
    // are blocked in every thread and reach the event loop as events, so a
    // command never dies between a server's answer and the keychain write.
    tokenkeeper::SignalWatcher stopSignals({SIGINT, SIGTERM});

    tokenkeeper::CommandLine cli(QCoreApplication::arguments(),
                                 tokenkeeper::EngineOptions::fromEnvironment());
    QObject::connect(&stopSignals, &tokenkeeper::SignalWatcher::received, &cli,
                     &tokenkeeper::CommandLine::interrupt);
    QObject::connect(
        &cli, &tokenkeeper::CommandLine::finished, &app,
        [](int code) { QCoreApplication::exit(code); }, Qt::QueuedConnection);
    QTimer::singleShot(0, &cli, &tokenkeeper::CommandLine::start);
    return app.exec();
}
