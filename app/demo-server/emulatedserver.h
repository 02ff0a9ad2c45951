#pragma once

#include "httprequest.h"
#include "httpresponse.h"
#include "routekind.h"

#include <QString>

namespace tokenkeeper::emulator {

// One emulated login server: it claims its paths and answers requests from in-memory state.
class EmulatedServer
{
public:
    virtual ~EmulatedServer() = default;

    // The name used by the admin API and the stats ("sensu").
    virtual QString name() const = 0;
    // Whether `path` belongs to this server, and as which fault target.
    virtual RouteKind route(const QString &path) const = 0;
    // Answers a request whose path route() claimed.
    virtual HttpResponse handle(const HttpRequest &request) = 0;
    // The admin "revoke" action.
    virtual void revoke() = 0;
    // Undoes revoke() where that is possible.
    virtual void reset() = 0;

protected:
    EmulatedServer() = default;
    Q_DISABLE_COPY_MOVE(EmulatedServer)

    static HttpResponse methodNotAllowed(const QByteArray &allowed)
    {
        return HttpResponse::text(405, QByteArrayLiteral("Method Not Allowed"))
            .withHeader(QByteArrayLiteral("Allow"), allowed);
    }
};

} // namespace tokenkeeper::emulator
