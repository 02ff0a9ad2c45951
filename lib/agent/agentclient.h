#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QObject>

#include <functional>
#include <optional>

namespace tokenkeeper {

// Asks the user's running agent one question over its local socket. When no
// agent runs, says so (nullopt) at once, so the caller can work alone; an
// agent that runs but does not answer in time is an error, not "no agent",
// so that two processes never renew the same profile at once. An agent that
// holds its lock but is not listening yet (starting) is given two seconds.
class AgentClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AgentClient)

public:
    // nullopt: no agent. Otherwise the answer (with "ok": true) or an Error.
    using Done = std::function<void(std::optional<Result<QJsonObject>>)>;

    explicit AgentClient(QString socketPath = {}, QString lockPath = {}, QObject *parent = nullptr);
    ~AgentClient() override = default;

    void request(QJsonObject request, int timeoutMs, Done done);

    // Whether an agent holds the lock (runs), without talking to it.
    bool agentRuns() const;

private:
    QString m_socketPath;
    QString m_lockPath;
};

} // namespace tokenkeeper
