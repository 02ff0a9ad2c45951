// bench_agent_token: how long `tokenkeeper token NAME` takes when a running agent answers it,
// against the floor of reading the same keychain entry with `secret-tool lookup`.
//
//   untimed setup (in the caller's XDG directories and D-Bus session: run it inside
//   tests/run-in-keyring.sh)
//     start tokenkeeper-demo-server, OAuth 2.0 tokens live a day
//     tokenkeeper profile add bench --preset oauth2-client-credentials ...; tokenkeeper login bench
//     secret-tool search --all user profile/<id>: the attributes Qt Keychain stored
//     tokenkeeper agent &; wait for $XDG_RUNTIME_DIR/tokenkeeper/agent.sock
//   timed: 5 warm-ups of each, then --runs (50) of each, interleaved, wall time from
//   QProcess::start to the end of waitForFinished
//     tokenkeeper token bench
//     secret-tool lookup user profile/<id> server <service>
//   report
//     agent_token median_ms=… secret_tool_median_ms=… ratio=…

#include "democredentials.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <optional>

namespace {

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray error;
    qint64 ns = 0;
};

// Runs a program to the end and times it, start to exit.
Run run(const QString &program, const QStringList &args, const QByteArray &input = {})
{
    QProcess process;
    Run result;
    QElapsedTimer took;
    took.start();
    process.start(program, args);
    if (!input.isNull()) {
        process.write(input);
        process.closeWriteChannel();
    }
    if (!process.waitForFinished(30'000)) {
        process.kill();
        process.waitForFinished(2000);
        result.error = QByteArrayLiteral("timed out or did not start");
        return result;
    }
    result.ns = took.nsecsElapsed();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.error = process.readAllStandardError();
    return result;
}

double medianMs(QList<qint64> ns)
{
    std::sort(ns.begin(), ns.end());
    const qsizetype n = ns.size();
    const double middle = n % 2 ? double(ns[n / 2]) : (double(ns[n / 2 - 1]) + ns[n / 2]) / 2.0;
    return middle / 1e6;
}

// Starts the demo server and answers its base URL, or nullopt.
std::optional<QString> startServer(QProcess &server, const QString &program,
                                   const QString &portFile)
{
    server.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    server.setStandardOutputFile(QProcess::nullDevice());
    server.start(
        program,
        {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--port-file"), portFile});
    if (!server.waitForStarted(5000)) {
        err() << "cannot start " << program << ": " << server.errorString() << Qt::endl;
        return std::nullopt;
    }
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 10'000) {
        QFile file(portFile);
        if (file.open(QIODevice::ReadOnly)) {
            const int port = file.readAll().trimmed().toInt();
            if (port > 0) {
                return QStringLiteral("http://127.0.0.1:%1").arg(port);
            }
        }
        QThread::msleep(20);
    }
    err() << "the demo server wrote no port file" << Qt::endl;
    return std::nullopt;
}

bool configureServer(const QString &base)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(base + QStringLiteral("/_emulator/config")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply =
        nam.post(request, QByteArrayLiteral(R"({"lifetimes":{"oauth2":86400}})"));
    QEventLoop loop; // a driver, not the engine: waiting here is fine
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return reply->error() == QNetworkReply::NoError;
}

bool waitForSocket(const QString &path, QProcess &agent)
{
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 10'000 && agent.state() == QProcess::Running) {
        QLocalSocket socket;
        socket.connectToServer(path);
        if (socket.waitForConnected(200)) {
            return true;
        }
        QThread::msleep(20);
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_agent_token"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Median wall time of `tokenkeeper token` answered by a running agent, "
                       "against `secret-tool lookup` of the same keychain entry."));
    parser.addHelpOption();
    const QCommandLineOption runsOption(QStringLiteral("runs"),
                                        QStringLiteral("Timed runs of each (50)."),
                                        QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption warmupOption(QStringLiteral("warmup"),
                                          QStringLiteral("Untimed runs of each first (5)."),
                                          QStringLiteral("N"), QStringLiteral("5"));
    const QCommandLineOption cliOption(
        QStringLiteral("cli"), QStringLiteral("The tokenkeeper binary."), QStringLiteral("PATH"));
    const QCommandLineOption serverOption(QStringLiteral("demo-server"),
                                          QStringLiteral("The tokenkeeper-demo-server binary."),
                                          QStringLiteral("PATH"));
    parser.addOptions({runsOption, warmupOption, cliOption, serverOption});
    parser.process(app);

    const int runs = qMax(1, parser.value(runsOption).toInt());
    const int warmups = qMax(0, parser.value(warmupOption).toInt());
    const QString buildDir = QCoreApplication::applicationDirPath() + QStringLiteral("/..");
    QString cli = parser.value(cliOption);
    if (cli.isEmpty()) {
        cli = buildDir + QStringLiteral("/app/cli/tokenkeeper");
    }
    QString demoServer = parser.value(serverOption);
    if (demoServer.isEmpty()) {
        demoServer = buildDir + QStringLiteral("/app/demo-server/tokenkeeper-demo-server");
    }
    const QString secretTool = QStandardPaths::findExecutable(QStringLiteral("secret-tool"));
    if (secretTool.isEmpty()) {
        err() << "secret-tool is not installed (apt-get install libsecret-tools)" << Qt::endl;
        return 2;
    }
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")
        || qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
        err() << "run me inside tests/run-in-keyring.sh" << Qt::endl;
        return 2;
    }

    QTemporaryDir dir;
    QProcess server;
    const auto base = startServer(server, demoServer, dir.filePath(QStringLiteral("port")));
    if (!base || !configureServer(*base)) {
        err() << "the demo server is not usable" << Qt::endl;
        return 2;
    }

    const QString name = QStringLiteral("bench");
    const Run added = run(cli,
                          {QStringLiteral("profile"), QStringLiteral("add"), name,
                           QStringLiteral("--preset"), QStringLiteral("oauth2-client-credentials"),
                           QStringLiteral("--url"), *base, QStringLiteral("--client-id"),
                           QLatin1String(tokenkeeper::emulator::demo::oauthClientId)});
    const Run loggedIn = run(cli, {QStringLiteral("login"), name},
                             QByteArray(tokenkeeper::emulator::demo::oauthClientSecret) + '\n');
    const Run shown = run(
        cli, {QStringLiteral("profile"), QStringLiteral("show"), name, QStringLiteral("--json")});
    const QString id =
        QJsonDocument::fromJson(shown.out).object().value(QStringLiteral("id")).toString();
    if (added.exitCode != 0 || loggedIn.exitCode != 0 || id.isEmpty()) {
        err() << "setup failed: " << added.error << loggedIn.error << shown.error << Qt::endl;
        return 2;
    }

    // What Qt Keychain stored: the floor reads the same entry by the same attributes.
    const QString key = QStringLiteral("profile/") + id;
    const Run search =
        run(secretTool,
            {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("user"), key});
    // The attributes, for the record; never the secret line.
    err() << "secret-tool search --all user " << key << ":\n";
    for (const QByteArray &line : search.error.split('\n') + search.out.split('\n')) {
        if (!line.isEmpty() && !line.startsWith("secret = ")) {
            err() << "  " << line << '\n';
        }
    }
    err().flush();
    QString service;
    for (const QByteArray &line : search.error.split('\n') + search.out.split('\n')) {
        if (line.startsWith("attribute.server = ")) {
            service = QString::fromUtf8(line.mid(int(qstrlen("attribute.server = "))).trimmed());
        }
    }
    if (service.isEmpty()) {
        err() << "the keychain entry has no `server` attribute" << Qt::endl;
        return 2;
    }
    const QStringList lookupArgs {QStringLiteral("lookup"), QStringLiteral("user"), key,
                                  QStringLiteral("server"), service};

    QProcess agent;
    agent.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    agent.start(cli, {QStringLiteral("agent")});
    const QString socketPath =
        qEnvironmentVariable("XDG_RUNTIME_DIR") + QStringLiteral("/tokenkeeper/agent.sock");
    if (!agent.waitForStarted(5000) || !waitForSocket(socketPath, agent)) {
        err() << "the agent did not start listening on " << socketPath << Qt::endl;
        return 2;
    }

    const QStringList tokenArgs {QStringLiteral("token"), name};
    QList<qint64> tokenNs;
    QList<qint64> lookupNs;
    QByteArray firstToken;
    for (int i = 0; i < warmups + runs; ++i) {
        const Run token = run(cli, tokenArgs);
        const Run lookup = run(secretTool, lookupArgs);
        if (token.exitCode != 0 || token.out.trimmed().isEmpty()) {
            err() << "tokenkeeper token failed: " << token.error << Qt::endl;
            return 1;
        }
        if (lookup.exitCode != 0 || lookup.out.trimmed().isEmpty()) {
            err() << "secret-tool lookup failed: " << lookup.error << Qt::endl;
            return 1;
        }
        if (firstToken.isEmpty()) {
            firstToken = token.out;
        } else if (token.out != firstToken) {
            // The agent answers from memory: the same token every time (it lives a day).
            err() << "note: the token changed between runs" << Qt::endl;
        }
        if (i >= warmups) {
            tokenNs.append(token.ns);
            lookupNs.append(lookup.ns);
        }
    }

    agent.terminate();
    agent.waitForFinished(5000);
    server.terminate();
    server.waitForFinished(5000);

    const double tokenMs = medianMs(tokenNs);
    const double lookupMs = medianMs(lookupNs);
    QTextStream(stdout) << "agent_token runs=" << runs
                        << " median_ms=" << QString::number(tokenMs, 'f', 2)
                        << " secret_tool_median_ms=" << QString::number(lookupMs, 'f', 2)
                        << " ratio=" << QString::number(tokenMs / lookupMs, 'f', 2) << Qt::endl;
    return 0;
}
