#include "adminapi.h"

#include "democredentials.h"
#include "emulatedserver.h"
#include "faultinjector.h"
#include "servercontext.h"

#include <QJsonArray>

namespace tokenkeeper::emulator {

namespace {

const QString prefix = QStringLiteral("/_emulator/");

HttpResponse adminError(int status, const QString &message)
{
    return HttpResponse::json(status, {{QStringLiteral("error"), message}});
}

// The request body as a JSON object; an empty body counts as {}.
std::optional<QJsonObject> bodyObject(const HttpRequest &request)
{
    if (request.body.trimmed().isEmpty()) {
        return QJsonObject();
    }
    return request.jsonObject();
}

} // namespace

AdminApi::AdminApi(ServerContext &context, FaultInjector &faults,
                   const std::vector<std::unique_ptr<EmulatedServer>> &servers)
    : m_context(context)
    , m_faults(faults)
    , m_servers(servers)
{ }

bool AdminApi::claims(const QString &path)
{
    return path.startsWith(prefix);
}

HttpResponse AdminApi::handle(const HttpRequest &request)
{
    const QString action = request.path.mid(prefix.size());
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    if (action == u"config" && (get || post)) {
        return config(request);
    }
    if (action == u"fault" && (get || post)) {
        return fault(request);
    }
    if (action == u"revoke" && post) {
        return revoke(request);
    }
    if (action == u"reset" && post) {
        return reset();
    }
    if (action == u"stats" && get) {
        return HttpResponse::json(200, m_context.ledger.statsJson());
    }
    if (action == u"issued" && get) {
        return HttpResponse::json(200, m_context.ledger.issuedJson());
    }
    if (action == u"demo" && get) {
        return HttpResponse::jsonArray(200, demoProfiles());
    }
    if (action == u"demo.tsv" && get) {
        return HttpResponse::text(200, demoTsv());
    }
    return adminError(404, QStringLiteral("no such admin action or method"));
}

HttpResponse AdminApi::config(const HttpRequest &request)
{
    if (request.method == "POST") {
        const std::optional<QJsonObject> body = bodyObject(request);
        if (!body) {
            return adminError(400, QStringLiteral("the body must be a JSON object"));
        }
        QString error;
        if (!m_context.config.apply(*body, &error)) {
            return adminError(400, error);
        }
    }
    return HttpResponse::json(200, m_context.config.toJson());
}

HttpResponse AdminApi::fault(const HttpRequest &request)
{
    if (request.method == "POST") {
        const std::optional<QJsonObject> body = bodyObject(request);
        if (!body) {
            return adminError(400, QStringLiteral("the body must be a JSON object"));
        }
        QString error;
        if (!m_faults.configure(*body, &error)) {
            return adminError(400, error);
        }
    }
    return HttpResponse::json(200, m_faults.toJson());
}

HttpResponse AdminApi::revoke(const HttpRequest &request)
{
    const std::optional<QJsonObject> body = bodyObject(request);
    const QString server = body ? body->value(QLatin1String("server")).toString() : QString();
    for (const std::unique_ptr<EmulatedServer> &candidate : m_servers) {
        if (candidate->name() == server) {
            candidate->revoke();
            return HttpResponse::json(200, {{QStringLiteral("revoked"), server}});
        }
    }
    return adminError(400,
                      QStringLiteral("server must be one of squirro, sensu, squidex, argus, "
                                     "oauth2, acme"));
}

HttpResponse AdminApi::reset()
{
    m_context.config = m_context.defaults;
    m_context.ledger.resetCounters();
    m_faults.clear();
    for (const std::unique_ptr<EmulatedServer> &server : m_servers) {
        server->reset();
    }
    return HttpResponse::json(
        200,
        {{QStringLiteral("reset"), true}, {QStringLiteral("config"), m_context.config.toJson()}});
}

QJsonArray AdminApi::demoProfiles()
{
    const auto text = [](const char *value) { return QJsonValue(QLatin1String(value)); };
    return QJsonArray {
        QJsonObject {
            {QStringLiteral("name"), QStringLiteral("Squirro demo")},
            {QStringLiteral("preset"), QStringLiteral("squirro")},
            {QStringLiteral("tenant"), text(demo::squirroTenant)},
            {QStringLiteral("secret"), text(demo::squirroUserToken)},
        },
        QJsonObject {
            {QStringLiteral("name"), QStringLiteral("Sensu demo")},
            {QStringLiteral("preset"), QStringLiteral("sensu")},
            {QStringLiteral("username"), text(demo::sensuUser)},
            {QStringLiteral("secret"), text(demo::sensuPassword)},
        },
        QJsonObject {
            {QStringLiteral("name"), QStringLiteral("Squidex demo")},
            {QStringLiteral("preset"), QStringLiteral("squidex")},
            {QStringLiteral("clientId"), text(demo::squidexClientId)},
            {QStringLiteral("scope"), text(demo::squidexScope)},
            {QStringLiteral("app"), text(demo::squidexApp)},
            {QStringLiteral("secret"), text(demo::squidexClientSecret)},
        },
        QJsonObject {
            {QStringLiteral("name"), QStringLiteral("Argus demo")},
            {QStringLiteral("preset"), QStringLiteral("argus")},
            {QStringLiteral("username"), text(demo::argusUser)},
            {QStringLiteral("secret"), text(demo::argusPassword)},
        },
        QJsonObject {
            {QStringLiteral("name"), QStringLiteral("OAuth 2.0 demo (password)")},
            {QStringLiteral("preset"), QStringLiteral("oauth2-password")},
            {QStringLiteral("username"), text(demo::oauthUser)},
            {QStringLiteral("clientId"), text(demo::oauthPublicClientId)},
            {QStringLiteral("secret"), text(demo::oauthPassword)},
        },
        QJsonObject {
            {QStringLiteral("name"), QStringLiteral("OAuth 2.0 demo (client credentials)")},
            {QStringLiteral("preset"), QStringLiteral("oauth2-client-credentials")},
            {QStringLiteral("clientId"), text(demo::oauthClientId)},
            {QStringLiteral("secret"), text(demo::oauthClientSecret)},
        },
        QJsonObject {
            {QStringLiteral("name"), QStringLiteral("Acme demo (user preset file)")},
            {QStringLiteral("preset"), QStringLiteral("acme")},
            {QStringLiteral("username"), text(demo::acmeUser)},
            {QStringLiteral("secret"), text(demo::acmePassword)},
        },
    };
}

QByteArray AdminApi::demoTsv()
{
    // For the demo launcher (a POSIX shell script): one profile a line,
    // tab-separated: name, preset, secret, then `tokenkeeper profile add` options.
    const QList<std::pair<QString, QString>> options = {
        {QStringLiteral("username"), QStringLiteral("--username")},
        {QStringLiteral("clientId"), QStringLiteral("--client-id")},
        {QStringLiteral("scope"), QStringLiteral("--scope")},
        {QStringLiteral("tenant"), QStringLiteral("--param")},
        {QStringLiteral("app"), QStringLiteral("--param")},
    };
    QByteArray tsv;
    for (const QJsonValue &value : demoProfiles()) {
        const QJsonObject profile = value.toObject();
        QStringList fields = {profile.value(QStringLiteral("name")).toString(),
                              profile.value(QStringLiteral("preset")).toString(),
                              profile.value(QStringLiteral("secret")).toString()};
        for (const auto &[key, option] : options) {
            if (!profile.contains(key)) {
                continue;
            }
            const QString field = profile.value(key).toString();
            fields << option << (option == u"--param" ? key + u'=' + field : field);
        }
        tsv += fields.join(u'\t').toUtf8() + '\n';
    }
    return tsv;
}

} // namespace tokenkeeper::emulator
