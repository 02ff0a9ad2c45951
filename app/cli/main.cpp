// The command line: wiring only. The commands live in lib/cli.
#include "cli/commandline.h"

#include <QCoreApplication>
#include <QTimer>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tokenkeeper"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TOKENKEEPER_VERSION));

    tokenkeeper::CommandLine cli(QCoreApplication::arguments(),
                                 tokenkeeper::EngineOptions::fromEnvironment());
    QObject::connect(
        &cli, &tokenkeeper::CommandLine::finished, &app,
        [](int code) { QCoreApplication::exit(code); }, Qt::QueuedConnection);
    QTimer::singleShot(0, &cli, &tokenkeeper::CommandLine::start);
    return app.exec();
}
