#pragma once

#include "auth/tokenprovider.h"

namespace tokenkeeper {

class AgentClient;

// Tokens from the user's running agent (`token` and `unauthorized` in
// docs/agent-protocol.md), so a 401 seen by the command line renews once for
// everybody and a rotated refresh token is never used by two processes.
class AgentTokenProvider final : public TokenProvider
{
public:
    AgentTokenProvider(AgentClient &agent, int timeoutMs)
        : m_agent(agent)
        , m_timeoutMs(timeoutMs)
    { }
    ~AgentTokenProvider() override = default;

    void token(const Profile &profile, int minValidSeconds, QObject *context, Done done) override;
    void renewRejected(const Profile &profile, const QString &rejectedToken, QObject *context,
                       Done done) override;
    QString name() const override { return QStringLiteral("the agent"); }

private:
    void ask(const QJsonObject &request, QObject *context, Done done);

    AgentClient &m_agent;
    int m_timeoutMs;
};

} // namespace tokenkeeper
