#include "servicetokenprovider.h"

#include "auth/tokenservice.h"

namespace tokenkeeper {

void ServiceTokenProvider::token(const Profile &profile, int minValidSeconds, QObject *context,
                                 Done done)
{
    m_tokens.token(profile, minValidSeconds, context, std::move(done));
}

void ServiceTokenProvider::renewRejected(const Profile &profile, const QString &rejectedToken,
                                         QObject *context, Done done)
{
    m_tokens.reportUnauthorized(profile, rejectedToken, context, std::move(done));
}

} // namespace tokenkeeper
