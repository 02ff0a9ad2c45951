#pragma once

#include "httpclient.h"

#include <QObject>

#include <memory>

class QNetworkAccessManager;

namespace tokenkeeper {

// Every HTTP request Tokenkeeper makes is sent by an HttpClient made here:
// the token endpoints (login, refresh, logout, the API check) and the API
// requests of the request tester, from the command line and the window alike.
//
//   Engine --owns--> NetworkAccess --owns--> QNetworkAccessManager
//                       |- tokenEndpoint(): AuthClient (small answers, short deadline)
//                       `- newApiClient(): RequestRunner (answers of any size, cut)
//
// A per-profile transport setting (a CA, a client certificate, a proxy) is
// therefore applied in this one place to all three kinds of request.
class NetworkAccess final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NetworkAccess)

public:
    struct Options
    {
        int tokenTimeoutMs = 15'000; // a token endpoint's answer
        // A rotating refresh, once sent: losing its answer may end the session.
        int tokenSpentAnswerTimeoutMs = 45'000;
        qint64 tokenMaxBodyBytes = 1024 * 1024;
        int apiTimeoutMs = 60'000; // an API request of the request tester
    };

    explicit NetworkAccess(Options options, QObject *parent = nullptr);
    ~NetworkAccess() override;

    const Options &options() const { return m_options; }

    // The client of every token endpoint request.
    HttpClient &tokenEndpoint() { return *m_tokenEndpoint; }
    // A client for API requests whose answers are kept up to `maxBodyBytes`
    // (the rest is cut off and marked, not an error).
    std::unique_ptr<HttpClient> newApiClient(qint64 maxBodyBytes);

private:
    Options m_options;
    QNetworkAccessManager *m_manager;
    HttpClient *m_tokenEndpoint;
};

} // namespace tokenkeeper
