#include "agenttokenprovider.h"

#include "agent/agentclient.h"
#include "agent/agentprotocol.h"
#include "profiles/profile.h"

#include <QPointer>

namespace tokenkeeper {

void AgentTokenProvider::token(const Profile &profile, int minValidSeconds, QObject *context,
                               Done done)
{
    ask({{QStringLiteral("cmd"), QStringLiteral("token")},
         {QStringLiteral("profile"), profile.name},
         {QStringLiteral("min_valid"), minValidSeconds}},
        context, std::move(done));
}

void AgentTokenProvider::renewRejected(const Profile &profile, const QString &rejectedToken,
                                       QObject *context, Done done)
{
    ask({{QStringLiteral("cmd"), QStringLiteral("unauthorized")},
         {QStringLiteral("profile"), profile.name},
         {QStringLiteral("access_token"), rejectedToken}},
        context, std::move(done));
}

void AgentTokenProvider::ask(const QJsonObject &request, QObject *context, Done done)
{
    m_agent.request(request, m_timeoutMs,
                    [guard = QPointer(context),
                     done = std::move(done)](std::optional<Result<QJsonObject>> answer) {
                        if (!guard) {
                            return;
                        }
                        if (!answer) {
                            done(Error(Error::Kind::Network,
                                       QStringLiteral("The Tokenkeeper agent stopped while the "
                                                      "request was under way. Try again.")));
                            return;
                        }
                        if (!*answer) {
                            done(answer->error());
                            return;
                        }
                        const auto tokens = agentprotocol::tokenFromAnswer(answer->value());
                        if (!tokens) {
                            done(Error(Error::Kind::MalformedResponse,
                                       QStringLiteral("The Tokenkeeper agent's answer holds no "
                                                      "token. Is it the same version?")));
                            return;
                        }
                        done(*tokens);
                    });
}

} // namespace tokenkeeper
