#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace tokenkeeper::test {

// The demo server (our emulators of the four servers) as a separate process
// on 127.0.0.1 with a port of its own choosing.
class Emulator final
{
public:
    Emulator();
    ~Emulator();
    Q_DISABLE_COPY_MOVE(Emulator)

    bool start();
    bool isRunning() const;
    QUrl baseUrl() const;
    quint16 port() const { return m_port; }

    // The admin API (/_emulator/...): POST JSON or GET, answer as JSON.
    QJsonObject post(const QString &path, const QJsonObject &body = {});
    QJsonObject get(const QString &path);
    // A raw call to any path, for probing protected endpoints.
    int call(const QByteArray &method, const QString &path, const QByteArray &bearer,
             QByteArray *body = nullptr);

    // Every token the emulator issued in this run.
    QStringList issuedTokens();
    // One figure of /_emulator/stats: stat("requests", "/oauth/token"),
    // stat("refreshes", "sensu").
    int stat(const QString &group, const QString &key);

private:
    std::unique_ptr<QProcess> m_process;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
};

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool finished = false;
    QString describe() const; // for failure messages: exit code and stderr only
};

// Runs the tokenkeeper command line with its own XDG directories; it shares
// the test's D-Bus session, so it uses the private gnome-keyring.
class Cli final
{
public:
    Cli();
    Q_DISABLE_COPY_MOVE(Cli)

    CliResult run(const QStringList &args, const QByteArray &stdinData = {},
                  int timeoutMs = 30'000) const;
    // As run(), with this process's events served meanwhile: for a command
    // that asks an agent this process hosts.
    CliResult runServingEvents(const QStringList &args, const QByteArray &stdinData = {}) const;

    QProcessEnvironment &environment() { return m_env; }
    // Gives this test process the same XDG directories and timeouts, for an
    // Agent or window created in-process next to the command line.
    void shareEnvironmentWithThisProcess() const;
    QString configDir() const { return m_root.path() + QStringLiteral("/config"); }
    QString dataDir() const { return m_root.path() + QStringLiteral("/data"); }
    QString cacheDir() const { return m_root.path() + QStringLiteral("/cache"); }
    QString runtimeDir() const { return m_root.path() + QStringLiteral("/runtime"); }
    QString rootDir() const { return m_root.path(); }

private:
    enum class Events { Wait, Serve };
    CliResult run(const QStringList &args, const QByteArray &stdinData, int timeoutMs,
                  Events events) const;

    QTemporaryDir m_root;
    QProcessEnvironment m_env;
};

// Paths handed in by CTest's environment.
QString cliPath();
QString demoServerPath();
QString sourceDir();

// Every file under `dir` that contains any of `needles` (as UTF-8 bytes).
QStringList filesContaining(const QString &dir, const QStringList &needles);

// Whether the keychain (the session's Secret Service, through secret-tool)
// holds an entry of the profile with this id. Nothing secret is printed.
bool keychainHolds(const QString &profileId);
// Deletes the profile's keychain entry behind everybody's back (secret-tool
// clear); whether it is gone now.
bool removeFromKeychain(const QString &profileId);

} // namespace tokenkeeper::test
