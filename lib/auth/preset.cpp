#include "preset.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace tokenkeeper {

namespace {

const QStringList knownFields = {QStringLiteral("username"), QStringLiteral("client_id"),
                                 QStringLiteral("client_secret"), QStringLiteral("scope"),
                                 QStringLiteral("token_url")};

class Parser
{
public:
    explicit Parser(QString origin)
        : m_origin(std::move(origin))
    { }

    Error fail(const QString &what) const
    {
        return {Error::Kind::Usage, QStringLiteral("Preset %1: %2").arg(m_origin, what)};
    }

    Result<PresetRequest> request(const QJsonObject &json, const QString &name) const
    {
        PresetRequest request;
        request.method = json.value(QStringLiteral("method"))
                             .toString(QStringLiteral("POST"))
                             .toUpper()
                             .toLatin1();
        if (request.method != "GET" && request.method != "POST") {
            return fail(QStringLiteral("%1.method must be GET or POST").arg(name));
        }
        request.path = json.value(QStringLiteral("path")).toString();
        if (!request.path.startsWith(u'/')) {
            return fail(QStringLiteral("%1.path must start with '/'").arg(name));
        }
        // Paths end up in logs and error messages: no secret may go there.
        for (const char *secret :
             {"${password", "${client_secret", "${refresh_token", "${access_token"}) {
            if (request.path.contains(QLatin1String(secret))) {
                return fail(QStringLiteral("%1.path must not carry a secret (%2…}); put it in "
                                           "fields")
                                .arg(name, QLatin1String(secret)));
            }
        }
        request.tokenEndpoint = json.value(QStringLiteral("tokenEndpoint")).toBool(true);

        const QString auth = json.value(QStringLiteral("auth")).toString(QStringLiteral("none"));
        if (auth == u"none") {
            request.auth = PresetRequest::Auth::None;
        } else if (auth == u"basic") {
            request.auth = PresetRequest::Auth::Basic;
        } else if (auth == u"bearer") {
            request.auth = PresetRequest::Auth::Bearer;
        } else if (auth == u"client") {
            request.auth = PresetRequest::Auth::Client;
        } else {
            return fail(QStringLiteral("%1.auth must be none, basic, bearer or client").arg(name));
        }

        const QString body = json.value(QStringLiteral("body")).toString(QStringLiteral("none"));
        if (body == u"none") {
            request.body = PresetRequest::Body::None;
        } else if (body == u"form") {
            request.body = PresetRequest::Body::Form;
        } else if (body == u"json") {
            request.body = PresetRequest::Body::Json;
        } else {
            return fail(QStringLiteral("%1.body must be none, form or json").arg(name));
        }

        const QJsonObject fields = json.value(QStringLiteral("fields")).toObject();
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            if (!it.value().isString()) {
                return fail(QStringLiteral("%1.fields.%2 must be a string").arg(name, it.key()));
            }
            request.fields.append({it.key(), it.value().toString()});
        }
        if (!request.fields.isEmpty() && request.body == PresetRequest::Body::None) {
            return fail(QStringLiteral("%1 has fields but no body (form or json)").arg(name));
        }

        const QJsonArray loginAgain = json.value(QStringLiteral("loginAgain")).toArray();
        for (const QJsonValue &rule : loginAgain) {
            PresetRequest::LoginAgain entry;
            if (rule.isDouble()) {
                entry.status = rule.toInt();
            } else if (rule.isObject()) {
                entry.status = rule.toObject().value(QStringLiteral("status")).toInt();
                entry.error = rule.toObject().value(QStringLiteral("error")).toString();
            }
            if (entry.status < 400 || entry.status > 599) {
                return fail(QStringLiteral("%1.loginAgain needs HTTP error statuses").arg(name));
            }
            request.loginAgain.append(entry);
        }
        return request;
    }

private:
    QString m_origin;
};

QStringList stringList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray()) {
        list.append(item.toString());
    }
    return list;
}

} // namespace

Result<Preset> Preset::fromJson(const QJsonObject &json, const QString &origin)
{
    const Parser parser(origin);
    Preset preset;
    preset.origin = origin;
    if (json.value(QStringLiteral("schema")).toInt(1) != 1) {
        return parser.fail(QStringLiteral("unsupported schema version (this Tokenkeeper reads 1)"));
    }
    preset.id = json.value(QStringLiteral("id")).toString();
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,63}$"));
    if (!idPattern.match(preset.id).hasMatch()) {
        return parser.fail(
            QStringLiteral("\"id\" must be 1-64 lower-case letters, digits, '.', '_' or '-'"));
    }
    preset.name = json.value(QStringLiteral("name")).toString(preset.id);
    preset.description = json.value(QStringLiteral("description")).toString();

    const QJsonObject secret = json.value(QStringLiteral("secret")).toObject();
    const QString kind = secret.value(QStringLiteral("kind")).toString();
    if (kind == u"password") {
        preset.secretKind = SecretKind::Password;
    } else if (kind == u"client_secret") {
        preset.secretKind = SecretKind::ClientSecret;
    } else if (kind == u"refresh_token") {
        preset.secretKind = SecretKind::RefreshToken;
    } else {
        return parser.fail(
            QStringLiteral("secret.kind must be password, client_secret or refresh_token"));
    }
    preset.secretLabel = secret.value(QStringLiteral("label")).toString();
    preset.secretHint = secret.value(QStringLiteral("hint")).toString();

    const QJsonObject fields = json.value(QStringLiteral("fields")).toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (!knownFields.contains(it.key())) {
            return parser.fail(QStringLiteral("unknown field \"%1\" (known: %2)")
                                   .arg(it.key(), knownFields.join(QStringLiteral(", "))));
        }
        const QString need = it.value().toString();
        if (need == u"required") {
            preset.requiredFields.append(it.key());
        } else if (need == u"optional") {
            preset.optionalFields.append(it.key());
        } else {
            return parser.fail(
                QStringLiteral("fields.%1 must be \"required\" or \"optional\"").arg(it.key()));
        }
    }
    preset.params = stringList(json.value(QStringLiteral("params")));

    preset.defaultLifetimeSeconds = json.value(QStringLiteral("defaultLifetime")).toInt(600);
    if (preset.defaultLifetimeSeconds <= 0) {
        return parser.fail(QStringLiteral("defaultLifetime must be a positive number of seconds"));
    }

    const auto readRequest = [&](const QString &key,
                                 std::optional<PresetRequest> &into) -> std::optional<Error> {
        if (!json.contains(key) || json.value(key).isNull()) {
            return std::nullopt;
        }
        if (!json.value(key).isObject()) {
            return parser.fail(QStringLiteral("\"%1\" must be an object").arg(key));
        }
        auto request = parser.request(json.value(key).toObject(), key);
        if (!request) {
            return request.error();
        }
        into = std::move(request).value();
        return std::nullopt;
    };
    for (const auto &[key, slot] : {std::pair<QString, std::optional<PresetRequest> *> {
                                        QStringLiteral("login"), &preset.login},
                                    {QStringLiteral("refresh"), &preset.refresh},
                                    {QStringLiteral("logout"), &preset.logout},
                                    {QStringLiteral("test"), &preset.test}}) {
        if (auto error = readRequest(key, *slot)) {
            return *error;
        }
    }
    if (!preset.login && !preset.refresh) {
        return parser.fail(QStringLiteral("needs a \"login\" or a \"refresh\" request"));
    }
    if (!preset.login && preset.secretKind != SecretKind::RefreshToken) {
        return parser.fail(
            QStringLiteral("without a \"login\" request the secret must be a refresh_token"));
    }

    const QJsonObject response = json.value(QStringLiteral("response")).toObject();
    const auto readPath = [&response](const QString &key, QString &into) {
        if (response.contains(key)) {
            into = response.value(key).toString();
        }
    };
    readPath(QStringLiteral("accessToken"), preset.response.accessToken);
    readPath(QStringLiteral("refreshToken"), preset.response.refreshToken);
    readPath(QStringLiteral("expiresAt"), preset.response.expiresAt);
    readPath(QStringLiteral("expiresIn"), preset.response.expiresIn);
    if (response.contains(QStringLiteral("message"))) {
        preset.response.message = stringList(response.value(QStringLiteral("message")));
    }
    if (preset.response.accessToken.isEmpty()) {
        return parser.fail(QStringLiteral("response.accessToken must name a field"));
    }
    preset.apiPath =
        json.value(QStringLiteral("api")).toObject().value(QStringLiteral("path")).toString();
    return preset;
}

} // namespace tokenkeeper
