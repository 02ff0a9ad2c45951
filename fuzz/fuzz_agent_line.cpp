// The agent's line protocol, as a local client may speak it: a real Agent
// (its engine on a memory secret store, its profiles' servers on a closed
// loopback port) listening on a socket in a scratch folder, and one client
// writing the input as it is, then a newline. Each complete line must get
// its answer, or the connection must be closed: never a crash, never a hang
// (a libFuzzer timeout).

#include "agent/agent.h"
#include "engine/engine.h"
#include "fuzzsupport.h"
#include "profiles/profile.h"
#include "secrets/memorysecretstore.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QTemporaryDir>
#include <QUrl>

using namespace tokenkeeper;

namespace {

struct Rig
{
    QTemporaryDir directory;
    MemorySecretStore secrets;
    Engine *engine = nullptr;
    Agent *agent = nullptr;
    QLocalSocket client;
    int runs = 0;

    QString file(const char *name) const { return directory.filePath(QLatin1String(name)); }

    // Two profiles whose servers refuse at once: tokens, logins and
    // refreshes run their whole error path without leaving the machine.
    void writeProfiles() const
    {
        QJsonArray profiles;
        const char *presets[] = {"sensu", "oauth2-client-credentials"};
        for (const char *preset : presets) {
            Profile profile;
            profile.id = QLatin1String(preset) + QStringLiteral("-id");
            profile.name = QLatin1String(preset);
            profile.preset = QLatin1String(preset);
            profile.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:1"));
            profile.username = QStringLiteral("someone");
            profile.clientId = QStringLiteral("client");
            profiles.append(profile.toJson());
        }
        QFile out(file("profiles.json"));
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            __builtin_trap();
        }
        out.write(QJsonDocument(QJsonObject {{QStringLiteral("schema"), 1},
                                             {QStringLiteral("profiles"), profiles}})
                      .toJson());
    }

    void start()
    {
        writeProfiles();
        EngineOptions options;
        options.profilesPath = file("profiles.json");
        options.presetsDirectory = file("presets");
        options.historyPath = file("history.json");
        options.httpTimeoutMs = 200;
        options.keychainTimeoutMs = 200;
        options.secrets = &secrets;
        engine = new Engine(options);
        agent =
            new Agent(*engine, {file("agent.sock"), file("agent.lock"), Agent::Limits()}, engine);
        if (!agent->start()) {
            __builtin_trap();
        }
    }

    bool connected()
    {
        if (client.state() == QLocalSocket::ConnectedState) {
            return true;
        }
        client.abort();
        client.connectToServer(agent->socketPath());
        return client.waitForConnected(1000);
    }
};

Rig *rig = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::startQt(argc, argv);
    rig = new Rig;
    rig->start();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // A `remove` may have emptied the file: start each few hundred runs from
    // the same two profiles.
    if (++rig->runs % 256 == 0) {
        rig->writeProfiles();
        rig->engine->reloadProfiles();
    }
    if (!rig->connected()) {
        __builtin_trap(); // the agent no longer accepts anybody
    }
    QByteArray input = fuzz::bytes(data, size);
    input.append('\n');
    const qsizetype lines = input.count('\n');
    rig->client.write(input);

    // Wait for one answer per line, the connection's end, or 2 s (a refused
    // loopback connection and a memory store answer in milliseconds).
    qsizetype answered = 0;
    const QDeadlineTimer deadline(2000);
    while (answered < lines && rig->client.state() == QLocalSocket::ConnectedState
           && !deadline.hasExpired()) {
        // The agent is in this thread: turn the loop, never block in a wait.
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        while (rig->client.canReadLine()) {
            const QByteArray answer = rig->client.readLine();
            if (!QJsonDocument::fromJson(answer).isObject()) {
                __builtin_trap(); // every answer is one JSON object line
            }
            ++answered;
        }
    }
    return 0;
}
