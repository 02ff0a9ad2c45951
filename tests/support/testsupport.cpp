#include "testsupport.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>
#include <QThread>
#include <QTimer>

namespace tokenkeeper::test {

QString cliPath()
{
    return qEnvironmentVariable("TOKENKEEPER_CLI");
}

QString demoServerPath()
{
    return qEnvironmentVariable("TOKENKEEPER_DEMO_SERVER");
}

QString sourceDir()
{
    return qEnvironmentVariable("TOKENKEEPER_SOURCE_DIR");
}

Emulator::Emulator() = default;

Emulator::~Emulator()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(3000)) {
            m_process->kill();
            m_process->waitForFinished(3000);
        }
    }
}

bool Emulator::start()
{
    const QString portFile = m_dir.filePath(QStringLiteral("port"));
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process->setStandardOutputFile(QProcess::nullDevice());
    m_process->start(
        demoServerPath(),
        {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--port-file"), portFile});
    if (!m_process->waitForStarted(5000)) {
        qWarning("demo server did not start: %s", qPrintable(demoServerPath()));
        return false;
    }
    const QDeadlineTimer deadline(10'000);
    while (!deadline.hasExpired() && m_process->state() == QProcess::Running) {
        QFile file(portFile);
        if (file.open(QIODevice::ReadOnly)) {
            bool ok = false;
            const int port = file.readAll().trimmed().toInt(&ok);
            if (ok && port > 0) {
                m_port = quint16(port);
                return true;
            }
        }
        QThread::msleep(20);
    }
    return false;
}

bool Emulator::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

QUrl Emulator::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port));
}

namespace {

QByteArray exchange(const QUrl &url, const QByteArray &method, const QByteArray &body,
                    const QByteArray &bearer, int *status)
{
    QNetworkAccessManager nam;
    QNetworkRequest request(url);
    request.setTransferTimeout(20'000);
    if (!body.isEmpty()) {
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    }
    if (!bearer.isEmpty()) {
        request.setRawHeader("Authorization", QByteArrayLiteral("Bearer ") + bearer);
    }
    QNetworkReply *reply = nam.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray answer = reply->readAll();
    reply->deleteLater();
    return answer;
}

} // namespace

QJsonObject Emulator::post(const QString &path, const QJsonObject &body)
{
    QUrl url = baseUrl();
    url.setPath(path);
    int status = 0;
    const QByteArray answer =
        exchange(url, QByteArrayLiteral("POST"), QJsonDocument(body).toJson(QJsonDocument::Compact),
                 {}, &status);
    if (status != 200) {
        qWarning("emulator %s answered %d", qPrintable(path), status);
    }
    return QJsonDocument::fromJson(answer).object();
}

QJsonObject Emulator::get(const QString &path)
{
    QUrl url = baseUrl();
    url.setPath(path);
    int status = 0;
    return QJsonDocument::fromJson(exchange(url, QByteArrayLiteral("GET"), {}, {}, &status))
        .object();
}

int Emulator::call(const QByteArray &method, const QString &path, const QByteArray &bearer,
                   QByteArray *body)
{
    QUrl url = baseUrl();
    url.setPath(path);
    int status = 0;
    const QByteArray answer = exchange(url, method, {}, bearer, &status);
    if (body) {
        *body = answer;
    }
    return status;
}

int Emulator::stat(const QString &group, const QString &key)
{
    return get(QStringLiteral("/_emulator/stats")).value(group).toObject().value(key).toInt();
}

QStringList Emulator::issuedTokens()
{
    QStringList tokens;
    for (const QJsonValue &value :
         get(QStringLiteral("/_emulator/issued")).value(QStringLiteral("tokens")).toArray()) {
        tokens.append(value.toString());
    }
    return tokens;
}

QString CliResult::describe() const
{
    return QStringLiteral("exit %1%2, stderr: %3")
        .arg(exitCode)
        .arg(finished ? QString() : QStringLiteral(" (did not finish)"),
             QString::fromUtf8(err).trimmed());
}

Cli::Cli()
    : m_env(QProcessEnvironment::systemEnvironment())
{
    for (const char *dir : {"config", "data", "cache", "runtime"}) {
        QDir(m_root.path()).mkpath(QString::fromLatin1(dir));
    }
    QFile::setPermissions(runtimeDir(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    // Its own runtime directory: its own agent socket and profile locks.
    m_env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir());
    m_env.insert(QStringLiteral("XDG_CONFIG_HOME"), configDir());
    m_env.insert(QStringLiteral("XDG_DATA_HOME"), dataDir());
    m_env.insert(QStringLiteral("XDG_CACHE_HOME"), cacheDir());
    m_env.insert(QStringLiteral("TOKENKEEPER_HTTP_TIMEOUT_MS"), QStringLiteral("3000"));
    m_env.insert(QStringLiteral("TOKENKEEPER_KEYCHAIN_TIMEOUT_MS"), QStringLiteral("8000"));
}

void Cli::shareEnvironmentWithThisProcess() const
{
    for (const char *name :
         {"XDG_CONFIG_HOME", "XDG_RUNTIME_DIR", "XDG_DATA_HOME", "XDG_CACHE_HOME",
          "TOKENKEEPER_HTTP_TIMEOUT_MS", "TOKENKEEPER_KEYCHAIN_TIMEOUT_MS"}) {
        qputenv(name, m_env.value(QLatin1String(name)).toLocal8Bit());
    }
}

CliResult Cli::run(const QStringList &args, const QByteArray &stdinData, int timeoutMs) const
{
    return run(args, stdinData, timeoutMs, Events::Wait);
}

CliResult Cli::runServingEvents(const QStringList &args, const QByteArray &stdinData) const
{
    return run(args, stdinData, 30'000, Events::Serve);
}

CliResult Cli::run(const QStringList &args, const QByteArray &stdinData, int timeoutMs,
                   Events events) const
{
    QProcess process;
    process.setProcessEnvironment(m_env);
    process.start(cliPath(), args);
    CliResult result;
    if (!process.waitForStarted(5000)) {
        result.err = QByteArrayLiteral("could not start ") + cliPath().toUtf8();
        return result;
    }
    if (!stdinData.isEmpty()) {
        process.write(stdinData);
    }
    process.closeWriteChannel();
    result.finished = events == Events::Serve
        ? QTest::qWaitFor([&process] { return process.state() == QProcess::NotRunning; }, timeoutMs)
        : process.waitForFinished(timeoutMs);
    if (!result.finished) {
        process.kill();
        process.waitForFinished(2000);
    }
    result.exitCode =
        result.finished && process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QStringList filesContaining(const QString &dir, const QStringList &needles)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            continue;
        }
        const QByteArray content = file.readAll();
        for (const QString &needle : needles) {
            if (!needle.isEmpty() && content.contains(needle.toUtf8())) {
                hits.append(path);
                break;
            }
        }
    }
    return hits;
}

bool keychainHolds(const QString &profileId)
{
    // secret-tool prints the attributes (which name the id) on standard error,
    // the item itself on standard output; neither is printed here.
    QProcess lookup;
    lookup.setProcessChannelMode(QProcess::MergedChannels);
    lookup.start(QStringLiteral("secret-tool"),
                 {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("user"),
                  QStringLiteral("profile/") + profileId});
    return lookup.waitForFinished(10'000)
        && lookup.readAll().contains(
            QByteArray(QByteArrayLiteral("profile/") + profileId.toUtf8()));
}

bool removeFromKeychain(const QString &profileId)
{
    QProcess clear;
    clear.start(
        QStringLiteral("secret-tool"),
        {QStringLiteral("clear"), QStringLiteral("user"), QStringLiteral("profile/") + profileId});
    return clear.waitForFinished(10'000) && !keychainHolds(profileId);
}

} // namespace tokenkeeper::test
