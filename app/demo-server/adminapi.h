#pragma once

#include "httprequest.h"
#include "httpresponse.h"

#include <QJsonArray>

#include <memory>
#include <vector>

namespace tokenkeeper::emulator {

class EmulatedServer;
class FaultInjector;
struct ServerContext;

// The emulator's own JSON API under /_emulator/, for tests and the demo launcher:
//
//   POST /_emulator/config   {"lifetimes": {…}, "refreshLifetimes": {…}, "sessionIdle": s}
//   GET  /_emulator/config
//   POST /_emulator/fault    {"mode", "target", "count", "probability", "retryAfter", "delayMs"}
//   GET  /_emulator/fault
//   POST /_emulator/revoke   {"server": "squirro|sensu|squidex|argus|oauth2|acme"}
//   POST /_emulator/reset
//   GET  /_emulator/stats
//   GET  /_emulator/issued
//   GET  /_emulator/demo, /_emulator/demo.tsv
class AdminApi final
{
public:
    AdminApi(ServerContext &context, FaultInjector &faults,
             const std::vector<std::unique_ptr<EmulatedServer>> &servers);

    static bool claims(const QString &path);
    HttpResponse handle(const HttpRequest &request);
    // The demo profiles, one a line, tab-separated: name, preset, secret,
    // then `tokenkeeper profile add` options (for packaging/run-demo.sh).
    static QByteArray demoTsv();

private:
    HttpResponse config(const HttpRequest &request);
    HttpResponse fault(const HttpRequest &request);
    HttpResponse revoke(const HttpRequest &request);
    HttpResponse reset();
    static QJsonArray demoProfiles();

    ServerContext &m_context;
    FaultInjector &m_faults;
    const std::vector<std::unique_ptr<EmulatedServer>> &m_servers;
};

} // namespace tokenkeeper::emulator
