#pragma once

#include <QJsonObject>
#include <QString>

namespace tokenkeeper::emulator {

// Token lifetimes in seconds. A change applies to tokens issued afterwards (sessionIdle: to the
// next check of a Sensu session).
struct EmulatorConfig
{
    qint64 squirroLifetime = 600;
    qint64 sensuLifetime = 300;
    qint64 squidexLifetime = 2592000;
    qint64 argusLifetime = 3600;
    qint64 oauth2Lifetime = 3600;
    qint64 acmeLifetime = 900;
    qint64 sensuRefreshLifetime = 12 * 3600;
    qint64 argusRefreshLifetime = 30 * 24 * 3600;
    qint64 sessionIdle = 360;

    // {"lifetimes": {server: s}, "refreshLifetimes": {"sensu": s, "argus": s}, "sessionIdle": s}
    QJsonObject toJson() const;
    // Applies any subset of toJson()'s shape. On an error nothing changes and `error` says why.
    bool apply(const QJsonObject &json, QString *error);
    // Every duration multiplied by `factor`, at least one second.
    EmulatorConfig scaled(double factor) const;
};

} // namespace tokenkeeper::emulator
