// tokenkeeper-demo-server: the emulated login servers of `make run` and of the end-to-end tests.

#include "adminapi.h"
#include "emulator.h"
#include "platform/signalwatcher.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QTextStream>

#include <csignal>

using tokenkeeper::SignalWatcher;
using tokenkeeper::emulator::Emulator;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tokenkeeper-demo-server"));
    SignalWatcher signalWatcher({SIGINT, SIGTERM});
    QObject::connect(&signalWatcher, &SignalWatcher::received, &app, &QCoreApplication::quit);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Emulates Squirro, Sensu Go, Squidex, Salesforce Argus, a generic OAuth 2.0 server and "
        "the Acme login API on one port of 127.0.0.1. See app/demo-server/README.md."));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QStringLiteral("Port to listen on (0: any free port)."),
                                        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption portFileOption(
        QStringLiteral("port-file"),
        QStringLiteral("Write the chosen port to FILE once listening."), QStringLiteral("FILE"));
    const QCommandLineOption scaleOption(
        QStringLiteral("lifetime-scale"),
        QStringLiteral("Multiply every default token lifetime by FACTOR (e.g. 0.1)."),
        QStringLiteral("FACTOR"), QStringLiteral("1"));
    const QCommandLineOption verboseOption(QStringLiteral("verbose"),
                                           QStringLiteral("Log one line per request to stderr."));
    const QCommandLineOption demoOption(
        QStringLiteral("demo-profiles"),
        QStringLiteral("Write the demo profiles (tab-separated: name, preset, secret, options) to "
                       "FILE."),
        QStringLiteral("FILE"));
    parser.addOptions({portOption, portFileOption, scaleOption, verboseOption, demoOption});
    parser.process(app);

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    bool scaleOk = false;
    const double scale = parser.value(scaleOption).toDouble(&scaleOk);
    if (!portOk || port > 65535 || !scaleOk || scale <= 0) {
        QTextStream(stderr) << "invalid --port or --lifetime-scale\n";
        return 2;
    }
    if (parser.isSet(verboseOption)) {
        QLoggingCategory::setFilterRules(QStringLiteral("tokenkeeper.emulator.requests.info=true"));
    }

    Emulator emulator;
    emulator.setDefaultConfig(tokenkeeper::emulator::EmulatorConfig().scaled(scale));
    if (!emulator.listen(static_cast<quint16>(port))) {
        QTextStream(stderr) << "cannot listen on 127.0.0.1:" << port << ": "
                            << emulator.errorString() << '\n';
        return 1;
    }
    if (parser.isSet(portFileOption)) {
        QSaveFile portFile(parser.value(portFileOption));
        if (!portFile.open(QIODevice::WriteOnly)
            || portFile.write(QByteArray::number(emulator.port()) + '\n') < 0
            || !portFile.commit()) {
            QTextStream(stderr) << "cannot write the port file: " << portFile.errorString() << '\n';
            return 1;
        }
    }
    if (parser.isSet(demoOption)) {
        QSaveFile demoFile(parser.value(demoOption));
        if (!demoFile.open(QIODevice::WriteOnly)
            || demoFile.write(tokenkeeper::emulator::AdminApi::demoTsv()) < 0
            || !demoFile.commit()) {
            QTextStream(stderr) << "cannot write the demo profiles: " << demoFile.errorString()
                                << '\n';
            return 1;
        }
    }
    QTextStream(stdout) << "Tokenkeeper demo server on " << emulator.baseUrl().toString()
                        << Qt::endl;
    return app.exec();
}
