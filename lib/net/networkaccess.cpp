#include "networkaccess.h"

#include <QNetworkAccessManager>

namespace tokenkeeper {

NetworkAccess::NetworkAccess(Options options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_manager(new QNetworkAccessManager(this))
    , m_tokenEndpoint(
          new HttpClient(m_manager, {m_options.tokenTimeoutMs, m_options.tokenMaxBodyBytes}, this))
{ }

NetworkAccess::~NetworkAccess() = default;

std::unique_ptr<HttpClient> NetworkAccess::newApiClient(qint64 maxBodyBytes)
{
    return std::make_unique<HttpClient>(
        m_manager,
        HttpClient::Options {m_options.apiTimeoutMs, maxBodyBytes, /*cutOverLimit=*/true});
}

} // namespace tokenkeeper
