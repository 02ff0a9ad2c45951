#include "authclient.h"

#include "core/clock.h"
#include "core/epochtime.h"
#include "core/jsonpath.h"
#include "core/logging.h"
#include "core/text.h"
#include "jwt.h"
#include "net/httpclient.h"
#include "net/serverwords.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace tokenkeeper {

namespace {

// Differences between the server's Date and our clock below this are noise.
constexpr qint64 skewThresholdSeconds = 3;

QString operationName(AuthClient::Operation operation)
{
    switch (operation) {
    case AuthClient::Operation::Login:
        return QStringLiteral("login");
    case AuthClient::Operation::Refresh:
        return QStringLiteral("token refresh");
    case AuthClient::Operation::Logout:
        return QStringLiteral("logout");
    case AuthClient::Operation::Test:
        return QStringLiteral("credentials test");
    }
    return {};
}

QString serverLabel(const Preset &preset, const QUrl &url)
{
    return QStringLiteral("%1 at %2").arg(preset.name, hostAndPort(url));
}

// ${name} and ${name|default}; unknown names expand to nothing.
QString expand(const QString &pattern, const QHash<QString, QString> &variables)
{
    static const QRegularExpression variable(
        QStringLiteral("\\$\\{([a-zA-Z0-9_.]+)(?:\\|([^}]*))?\\}"));
    QString out;
    qsizetype last = 0;
    auto it = variable.globalMatch(pattern);
    while (it.hasNext()) {
        const auto match = it.next();
        out += QStringView(pattern).mid(last, match.capturedStart() - last);
        QString value = variables.value(match.captured(1));
        if (value.isEmpty()) {
            value = match.captured(2);
        }
        out += value;
        last = match.capturedEnd();
    }
    out += QStringView(pattern).mid(last);
    return out;
}

QHash<QString, QString> variablesFor(const Profile &profile, const Credentials &credentials)
{
    QHash<QString, QString> variables {
        {QStringLiteral("username"), profile.username},
        {QStringLiteral("client_id"), profile.clientId},
        {QStringLiteral("scope"), profile.scope},
        {QStringLiteral("password"), credentials.password},
        {QStringLiteral("client_secret"), credentials.clientSecret},
        {QStringLiteral("refresh_token"), credentials.refreshToken},
        {QStringLiteral("access_token"), credentials.accessToken},
    };
    for (auto it = profile.params.begin(); it != profile.params.end(); ++it) {
        variables.insert(QStringLiteral("param.") + it.key(), it.value());
    }
    return variables;
}

QUrl endpoint(const Profile &profile, const PresetRequest &request,
              const QHash<QString, QString> &variables)
{
    if (request.tokenEndpoint && profile.tokenUrl.isValid() && !profile.tokenUrl.isEmpty()) {
        return profile.tokenUrl;
    }
    QUrl url = profile.baseUrl;
    QString basePath = url.path();
    while (basePath.endsWith(u'/')) {
        basePath.chop(1);
    }
    url.setPath(basePath + expand(request.path, variables));
    return url;
}

QByteArray basic(const QString &user, const QString &password)
{
    return QByteArrayLiteral("Basic ") + (user + u':' + password).toUtf8().toBase64();
}

QByteArray formEncode(const QList<std::pair<QString, QString>> &fields)
{
    QByteArray body;
    for (const auto &[name, value] : fields) {
        if (!body.isEmpty()) {
            body += '&';
        }
        body += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return body;
}

std::optional<double> numberOf(const QJsonValue &value)
{
    if (value.isDouble() && std::isfinite(value.toDouble())) {
        return value.toDouble();
    }
    if (value.isString()) {
        bool ok = false;
        const double number = value.toString().toDouble(&ok);
        if (ok && std::isfinite(number)) {
            return number;
        }
    }
    return std::nullopt;
}

// Why a token from a server cannot be used as it is, or empty: anything but
// visible ASCII (RFC 6750's b64token is a subset), or more than 16 KiB.
QString tokenFlaw(const QString &token)
{
    constexpr qsizetype maxChars = 16 * 1024;
    if (token.size() > maxChars) {
        return QStringLiteral("of %1 KiB (at most 16 KiB is taken)").arg(token.size() / 1024);
    }
    const bool visibleAscii = std::all_of(token.cbegin(), token.cend(), [](QChar c) {
        return c.unicode() > 0x20 && c.unicode() < 0x7f;
    });
    return visibleAscii
        ? QString()
        : QStringLiteral("with a space, line break, control or non-ASCII character in it");
}

} // namespace

AuthClient::AuthClient(HttpClient *http, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_http(http)
    , m_clock(clock)
{ }

void AuthClient::send(Operation operation, const PresetRequest &request, const Profile &profile,
                      const Preset &preset, const Credentials &credentials, QObject *context,
                      std::function<void(Result<HttpResponse>)> done)
{
    const QHash<QString, QString> variables = variablesFor(profile, credentials);
    HttpRequest http;
    // A refresh token may be spent the moment the server reads it (Sensu,
    // RFC 9700 rotation): once sent, its answer is worth a long wait.
    http.spendsOnce = preset.refresh && !credentials.refreshToken.isEmpty()
        && (operation == Operation::Refresh || (operation == Operation::Login && !preset.login));
    http.method = request.method;
    http.url = endpoint(profile, request, variables);
    http.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("application/json")});

    QList<std::pair<QString, QString>> fields;
    for (const auto &[name, pattern] : request.fields) {
        const QString value = expand(pattern, variables);
        if (!value.isEmpty()) {
            fields.append({name, value});
        }
    }
    switch (request.auth) {
    case PresetRequest::Auth::None:
        break;
    case PresetRequest::Auth::Basic:
        http.headers.append(
            {QByteArrayLiteral("Authorization"), basic(profile.username, credentials.password)});
        break;
    case PresetRequest::Auth::Bearer:
        http.headers.append({QByteArrayLiteral("Authorization"),
                             QByteArrayLiteral("Bearer ") + credentials.accessToken.toUtf8()});
        break;
    case PresetRequest::Auth::Client:
        // RFC 6749 2.3.1: Basic with form-encoded id and secret, or both in the body;
        // a public client (no secret) sends only its client_id in the body.
        if (profile.clientAuth == Profile::ClientAuth::Basic
            && !credentials.clientSecret.isEmpty()) {
            http.headers.append(
                {QByteArrayLiteral("Authorization"),
                 QByteArrayLiteral("Basic ")
                     + QByteArray(QUrl::toPercentEncoding(profile.clientId) + ':'
                                  + QUrl::toPercentEncoding(credentials.clientSecret))
                           .toBase64()});
        } else {
            if (!profile.clientId.isEmpty()) {
                fields.append({QStringLiteral("client_id"), profile.clientId});
            }
            if (!credentials.clientSecret.isEmpty()) {
                fields.append({QStringLiteral("client_secret"), credentials.clientSecret});
            }
        }
        break;
    }
    switch (request.body) {
    case PresetRequest::Body::None:
        break;
    case PresetRequest::Body::Form:
        http.headers.append({QByteArrayLiteral("Content-Type"),
                             QByteArrayLiteral("application/x-www-form-urlencoded")});
        http.body = formEncode(fields);
        break;
    case PresetRequest::Body::Json: {
        QJsonObject json;
        for (const auto &[name, value] : fields) {
            json.insert(name, value);
        }
        http.headers.append(
            {QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")});
        http.body = QJsonDocument(json).toJson(QJsonDocument::Compact);
        break;
    }
    }
    qCDebug(lcAuth) << operationName(operation) << "for profile" << profile.name;
    m_http->send(http, context, std::move(done));
}

void AuthClient::login(const Profile &profile, const Preset &preset, const Credentials &credentials,
                       QObject *context, TokenDone done)
{
    // A pasted user or refresh token has no login request: trading it in is the login.
    exchange(Operation::Login, preset.login ? *preset.login : *preset.refresh, profile, preset,
             credentials, context, std::move(done));
}

void AuthClient::refresh(const Profile &profile, const Preset &preset,
                         const Credentials &credentials, QObject *context, TokenDone done)
{
    // Without a refresh request (client credentials), renewing is logging in again.
    exchange(Operation::Refresh, preset.refresh ? *preset.refresh : *preset.login, profile, preset,
             credentials, context, std::move(done));
}

void AuthClient::exchange(Operation operation, const PresetRequest &request, const Profile &profile,
                          const Preset &preset, const Credentials &credentials, QObject *context,
                          TokenDone done)
{
    const QDateTime sentAt = m_clock.now();
    send(operation, request, profile, preset, credentials, context,
         [this, profile, preset, credentials, request, operation, sentAt,
          done = std::move(done)](Result<HttpResponse> response) {
             if (!response) {
                 done(response.error());
             } else if (response->status < 200 || response->status > 299) {
                 done(readErrorAnswer(*response, profile, preset, request, credentials, operation));
             } else {
                 done(
                     readTokenAnswer(*response, profile, preset, sentAt, m_clock.now(), operation));
             }
         });
}

void AuthClient::logout(const Profile &profile, const Preset &preset,
                        const Credentials &credentials, QObject *context, Done done)
{
    if (!preset.logout) {
        QTimer::singleShot(0, context, [done = std::move(done)] { done({}); });
        return;
    }
    call(Operation::Logout, *preset.logout, profile, preset, credentials, context, std::move(done));
}

void AuthClient::test(const Profile &profile, const Preset &preset, const Credentials &credentials,
                      QObject *context, Done done)
{
    if (!preset.test) {
        // Without a test endpoint, a login that is not kept is the test.
        login(profile, preset, credentials, context,
              [done = std::move(done)](Result<TokenSet> tokens) {
                  done(tokens ? Result<void>() : Result<void>(tokens.error()));
              });
        return;
    }
    call(Operation::Test, *preset.test, profile, preset, credentials, context, std::move(done));
}

void AuthClient::call(Operation operation, const PresetRequest &request, const Profile &profile,
                      const Preset &preset, const Credentials &credentials, QObject *context,
                      Done done)
{
    send(operation, request, profile, preset, credentials, context,
         [profile, preset, credentials, request, operation,
          done = std::move(done)](Result<HttpResponse> response) {
             if (!response) {
                 done(response.error());
             } else if (response->status < 200 || response->status > 299) {
                 done(readErrorAnswer(*response, profile, preset, request, credentials, operation));
             } else {
                 done({});
             }
         });
}

Result<TokenSet> AuthClient::readTokenAnswer(const HttpResponse &response, const Profile &profile,
                                             const Preset &preset, const QDateTime &sentAt,
                                             const QDateTime &receivedAt, Operation operation)
{
    const QString server = serverLabel(preset, profile.baseUrl);
    const auto malformed = [&](const QString &what) {
        return Error(Error::Kind::MalformedResponse,
                     QStringLiteral("%1 answered the %2 with %3. Is the URL that of a %4 server?")
                         .arg(server, operationName(operation), what, preset.name));
    };
    const auto unusable = [&](const QString &what) {
        return Error(Error::Kind::MalformedResponse,
                     QStringLiteral("%1 answered the %2 with %3; Tokenkeeper does not use it.")
                         .arg(server, operationName(operation), what));
    };
    if (response.mimeType() == "text/html") {
        return malformed(QStringLiteral("an HTML page instead of tokens"));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(response.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return malformed(
            QStringLiteral("%1 bytes that are not a JSON object").arg(response.body.size()));
    }
    const QJsonObject json = document.object();
    const QJsonValue access = jsonAt(json, preset.response.accessToken);
    if (!access.isString() || access.toString().isEmpty()) {
        return malformed(
            QStringLiteral("JSON that has no \"%1\"").arg(preset.response.accessToken));
    }
    TokenSet tokens;
    tokens.accessToken = access.toString();
    tokens.obtainedAt = receivedAt;
    const QJsonValue refresh = jsonAt(json, preset.response.refreshToken);
    if (refresh.isString()) {
        tokens.refreshToken = refresh.toString();
    }
    // A token goes into an Authorization header and onto a terminal: one
    // with a line break could add a header of the server's choosing.
    for (const auto &[token, name] : {std::pair {&tokens.accessToken, "access token"},
                                      std::pair {&tokens.refreshToken, "refresh token"}}) {
        if (const QString flaw = tokenFlaw(*token); !flaw.isEmpty()) {
            return unusable(QStringLiteral("an %1 %2").arg(QLatin1String(name), flaw));
        }
    }
    const QJsonValue type = json.value(QLatin1String("token_type"));
    if (type.isString()
        && type.toString().compare(QLatin1String("bearer"), Qt::CaseInsensitive) != 0) {
        return unusable(QStringLiteral("a token of type \"%1\" (Tokenkeeper sends Bearer "
                                       "tokens only)")
                            .arg(printable(type.toString()).left(40)));
    }

    // The lifetime: expires_at, expires_in, the JWT's exp, the profile, the preset.
    // Absolute times are the server's: shift them by its clock's skew. Its Date
    // was stamped between our sending and our receiving, so only a Date outside
    // that window shows skew; relative lifetimes count from the sending, the
    // safe side.
    qint64 skew = 0; // seconds the server's clock is ahead of ours
    if (const auto date = response.serverDate()) {
        const qint64 behind = sentAt.secsTo(*date);
        const qint64 ahead = receivedAt.secsTo(*date);
        const qint64 difference = behind < 0 ? behind : (ahead > 0 ? ahead : 0);
        if (std::abs(difference) > skewThresholdSeconds) {
            skew = difference;
        }
    }
    const auto expiresAt = numberOf(jsonAt(json, preset.response.expiresAt));
    const auto expiresIn = numberOf(jsonAt(json, preset.response.expiresIn));
    const auto jwtExpiry = [&]() -> std::optional<QDateTime> {
        if (const auto jwt = Jwt::decode(tokens.accessToken)) {
            return jwt->expiresAt();
        }
        return std::nullopt;
    }();
    const auto future = [&receivedAt](const QDateTime &when) {
        return when.isValid() && when > receivedAt;
    };
    const QDateTime fromExpiresAt = expiresAt && *expiresAt > 0
        ? fromEpochSeconds(*expiresAt).value_or(QDateTime()).addSecs(-skew)
        : QDateTime();
    const QDateTime fromJwt = jwtExpiry ? jwtExpiry->addSecs(-skew) : QDateTime();
    if (future(fromExpiresAt)) {
        tokens.expiresAt = fromExpiresAt;
        tokens.lifetimeSource = TokenSet::LifetimeSource::ExpiresAt;
    } else if (expiresIn && *expiresIn > 0 && *expiresIn < 1e10) {
        tokens.expiresAt = sentAt.addSecs(qint64(*expiresIn));
        tokens.lifetimeSource = TokenSet::LifetimeSource::ExpiresIn;
    } else if (future(fromJwt)) {
        tokens.expiresAt = fromJwt;
        tokens.lifetimeSource = TokenSet::LifetimeSource::Jwt;
    } else if (fromExpiresAt.isValid() || fromJwt.isValid()) {
        // The server says the token it just issued has expired already.
        return Error(Error::Kind::MalformedResponse,
                     QStringLiteral("%1 issued a token that has already expired. Is the clock "
                                    "of this computer or of the server wrong?")
                         .arg(server));
    } else if (profile.lifetimeSeconds > 0) {
        tokens.expiresAt = sentAt.addSecs(profile.lifetimeSeconds);
        tokens.lifetimeSource = TokenSet::LifetimeSource::Profile;
    } else {
        tokens.expiresAt = sentAt.addSecs(preset.defaultLifetimeSeconds);
        tokens.lifetimeSource = TokenSet::LifetimeSource::Preset;
    }
    return tokens;
}

Error AuthClient::readErrorAnswer(const HttpResponse &response, const Profile &profile,
                                  const Preset &preset, const PresetRequest &request,
                                  const Credentials &credentials, Operation operation)
{
    const QString server = serverLabel(preset, profile.baseUrl);
    const int status = response.status;
    ServerWordsRules rules;
    rules.jsonPaths = preset.response.message;
    rules.withErrorCode = true;
    rules.nameTheBody = true;
    QString words = serverWords(response, secretForms(profile, credentials), rules);
    if (words.isEmpty()) {
        words = QStringLiteral("no reason given");
    }
    const QString what = operationName(operation);

    if (status >= 300 && status < 400) {
        const QString location = QString::fromUtf8(response.header(QByteArrayLiteral("Location")));
        return {
            Error::Kind::Request,
            QStringLiteral("%1 redirected the %2 to %3 (HTTP %4). Tokenkeeper does not "
                           "follow redirects with credentials: set the URL to the final "
                           "address.")
                .arg(server, what, printable(redacted(location, secretForms(profile, credentials))))
                .arg(status)};
    }
    QString oauthError;
    if (const QJsonDocument document = QJsonDocument::fromJson(response.body);
        document.isObject()) {
        oauthError = document.object().value(QStringLiteral("error")).toString();
    }
    for (const PresetRequest::LoginAgain &rule : request.loginAgain) {
        if (rule.status == status && (rule.error.isEmpty() || rule.error == oauthError)) {
            return {Error::Kind::LoginRequired,
                    QStringLiteral("%1 rejected the %2: %3 (HTTP %4).")
                        .arg(server, what, words)
                        .arg(status)};
        }
    }
    Error error(Error::Kind::Server, QString());
    if (status == 429) {
        error = Error(Error::Kind::Server,
                      QStringLiteral("%1 is limiting requests (HTTP 429): %2. Try again later.")
                          .arg(server, words));
    } else if (status >= 500) {
        error = Error(Error::Kind::Server,
                      QStringLiteral("%1 failed the %2 with a server error: %3 (HTTP %4). Try "
                                     "again later.")
                          .arg(server, what, words)
                          .arg(status));
    } else {
        error = Error(Error::Kind::Request,
                      QStringLiteral("%1 refused the %2: %3 (HTTP %4). Check the profile's "
                                     "settings.")
                          .arg(server, what, words)
                          .arg(status));
    }
    error.setRetryAfterSeconds(response.retryAfterSeconds());
    return error;
}

} // namespace tokenkeeper
