#include "emulatorconfig.h"

#include <QJsonValue>

#include <cmath>
#include <utility>

namespace tokenkeeper::emulator {

namespace {

constexpr double maxSeconds = 10.0 * 365 * 24 * 3600;

bool readSeconds(const QJsonValue &value, const QString &what, qint64 *seconds, QString *error)
{
    if (value.isUndefined()) {
        return true;
    }
    if (!value.isDouble() || value.toDouble() < 0 || value.toDouble() > maxSeconds) {
        *error = what + QStringLiteral(" must be a number of seconds between 0 and ten years");
        return false;
    }
    *seconds = std::llround(value.toDouble());
    return true;
}

bool readGroup(const QJsonObject &json, const QString &group,
               const QList<std::pair<QString, qint64 *>> &fields, QString *error)
{
    const QJsonValue value = json.value(group);
    if (value.isUndefined()) {
        return true;
    }
    if (!value.isObject()) {
        *error = group + QStringLiteral(" must be an object");
        return false;
    }
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool known = false;
        for (const auto &[name, target] : fields) {
            if (it.key() == name) {
                known = true;
                if (!readSeconds(it.value(), group + u'.' + name, target, error)) {
                    return false;
                }
            }
        }
        if (!known) {
            *error = QStringLiteral("unknown key ") + group + u'.' + it.key();
            return false;
        }
    }
    return true;
}

} // namespace

QJsonObject EmulatorConfig::toJson() const
{
    return {
        {QStringLiteral("lifetimes"),
         QJsonObject {
             {QStringLiteral("squirro"), squirroLifetime},
             {QStringLiteral("sensu"), sensuLifetime},
             {QStringLiteral("squidex"), squidexLifetime},
             {QStringLiteral("argus"), argusLifetime},
             {QStringLiteral("oauth2"), oauth2Lifetime},
             {QStringLiteral("acme"), acmeLifetime},
         }},
        {QStringLiteral("refreshLifetimes"),
         QJsonObject {
             {QStringLiteral("sensu"), sensuRefreshLifetime},
             {QStringLiteral("argus"), argusRefreshLifetime},
         }},
        {QStringLiteral("sessionIdle"), sessionIdle},
    };
}

bool EmulatorConfig::apply(const QJsonObject &json, QString *error)
{
    EmulatorConfig next = *this;
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (it.key() != u"lifetimes" && it.key() != u"refreshLifetimes"
            && it.key() != u"sessionIdle") {
            *error = QStringLiteral("unknown key ") + it.key();
            return false;
        }
    }
    const bool ok = readGroup(json, QStringLiteral("lifetimes"),
                              {
                                  {QStringLiteral("squirro"), &next.squirroLifetime},
                                  {QStringLiteral("sensu"), &next.sensuLifetime},
                                  {QStringLiteral("squidex"), &next.squidexLifetime},
                                  {QStringLiteral("argus"), &next.argusLifetime},
                                  {QStringLiteral("oauth2"), &next.oauth2Lifetime},
                                  {QStringLiteral("acme"), &next.acmeLifetime},
                              },
                              error)
        && readGroup(json, QStringLiteral("refreshLifetimes"),
                     {
                         {QStringLiteral("sensu"), &next.sensuRefreshLifetime},
                         {QStringLiteral("argus"), &next.argusRefreshLifetime},
                     },
                     error)
        && readSeconds(json.value(QLatin1String("sessionIdle")), QStringLiteral("sessionIdle"),
                       &next.sessionIdle, error);
    if (ok) {
        *this = next;
    }
    return ok;
}

EmulatorConfig EmulatorConfig::scaled(double factor) const
{
    const auto scale = [factor](qint64 seconds) {
        return std::max<qint64>(1, std::llround(static_cast<double>(seconds) * factor));
    };
    EmulatorConfig result;
    result.squirroLifetime = scale(squirroLifetime);
    result.sensuLifetime = scale(sensuLifetime);
    result.squidexLifetime = scale(squidexLifetime);
    result.argusLifetime = scale(argusLifetime);
    result.oauth2Lifetime = scale(oauth2Lifetime);
    result.acmeLifetime = scale(acmeLifetime);
    result.sensuRefreshLifetime = scale(sensuRefreshLifetime);
    result.argusRefreshLifetime = scale(argusRefreshLifetime);
    result.sessionIdle = scale(sessionIdle);
    return result;
}

} // namespace tokenkeeper::emulator
