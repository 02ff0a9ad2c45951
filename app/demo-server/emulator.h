#pragma once

#include "emulatorconfig.h"

#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <vector>

namespace tokenkeeper::emulator {

class AdminApi;
class EmulatedServer;
class FaultInjector;
class HttpConnection;
class HttpServer;
struct HttpRequest;
struct HttpResponse;
struct ServerContext;

// The emulated Squirro, Sensu Go, Squidex, Argus, OAuth 2.0 and Acme servers and the admin API,
// on one loopback port. For each request:
//
//   /_emulator/…  ──> AdminApi (never faulted)
//   a server path ──> fault planned for this kind (token/api)? ──yes──> fault answer
//                                  │no
//                                  └──> the server's answer
//   anything else ──> 404
class Emulator final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Emulator)

public:
    explicit Emulator(QObject *parent = nullptr);
    ~Emulator() override;

    // Listens on 127.0.0.1; port 0 picks a free port.
    bool listen(quint16 port = 0);
    quint16 port() const;
    QUrl baseUrl() const;
    QString errorString() const;

    // The configuration "reset" goes back to (and the current one, replaced).
    void setDefaultConfig(const EmulatorConfig &config);
    // The clock that tokens and sessions are judged by, in Unix milliseconds.
    void setClock(std::function<qint64()> nowMsecs);

private:
    void handle(HttpConnection *connection, const HttpRequest &request);
    void send(HttpConnection *connection, const HttpRequest &request, HttpResponse response);
    // Adds Date (from the injectable clock) and Server.
    void stamp(HttpResponse &response) const;

    std::unique_ptr<ServerContext> m_context;
    std::unique_ptr<FaultInjector> m_faults;
    std::vector<std::unique_ptr<EmulatedServer>> m_servers;
    std::unique_ptr<AdminApi> m_admin;
    // Last, so that it and its connections go first.
    std::unique_ptr<HttpServer> m_http;
};

} // namespace tokenkeeper::emulator
