#include "networkaccess.h"

#include <QNetworkAccessManager>

namespace tokenkeeper {

NetworkAccess::NetworkAccess(Options options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_manager(new QNetworkAccessManager(this))
    , m_tokenEndpoint(new HttpClient(m_manager,
                                     {.timeoutMs = m_options.tokenTimeoutMs,
                                      .maxBodyBytes = m_options.tokenMaxBodyBytes,
                                      .spentAnswerTimeoutMs = m_options.tokenSpentAnswerTimeoutMs},
                                     this))
{ }

NetworkAccess::~NetworkAccess() = default;

std::unique_ptr<HttpClient> NetworkAccess::newApiClient(qint64 maxBodyBytes)
{
    return std::make_unique<HttpClient>(m_manager,
                                        HttpClient::Options {.timeoutMs = m_options.apiTimeoutMs,
                                                             .maxBodyBytes = maxBodyBytes,
                                                             .cutOverLimit = true});
}

} // namespace tokenkeeper
