#include "requestrunner.h"

#include "auth/tokenprovider.h"
#include "core/clock.h"
#include "core/logging.h"
#include "core/text.h"
#include "net/serverwords.h"
#include "profiles/profile.h"

#include <QElapsedTimer>
#include <QLocale>
#include <QPointer>

namespace tokenkeeper {

namespace {

QString lifetimeText(const QDateTime &now, const QDateTime &expiresAt)
{
    const qint64 seconds = now.secsTo(expiresAt);
    if (seconds >= 3600) {
        return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
    }
    return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

QString sizeText(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

bool hasHeader(const ApiRequest &request, QStringView name)
{
    return std::any_of(request.headers.cbegin(), request.headers.cend(),
                       [name](const auto &header) {
                           return header.first.compare(name, Qt::CaseInsensitive) == 0;
                       });
}

} // namespace

struct RequestRunner::Run
{
    Profile profile;
    ApiRequest request;
    QPointer<QObject> context;
    Progress progress;
    Done done;
    RequestOutcome outcome;
    QStringList tokens; // every token sent, for redaction
};

RequestRunner::RequestRunner(HttpClient &http, TokenProvider &tokens, const Clock &clock,
                             QObject *parent)
    : QObject(parent)
    , m_http(http)
    , m_tokens(tokens)
    , m_clock(clock)
{ }

void RequestRunner::send(const Profile &profile, const ApiRequest &request, QObject *context,
                         Progress progress, Done done)
{
    auto run = std::make_shared<Run>();
    run->profile = profile;
    run->request = request;
    run->context = context;
    run->progress = std::move(progress);
    run->done = std::move(done);

    const Result<QUrl> url = resolveTarget(profile.baseUrl, request.target);
    if (!url) {
        run->outcome.error = url.error();
        step(run, RequestStep::Kind::Failed, url.error().message());
        finish(run);
        return;
    }
    run->outcome.url = *url;
    m_tokens.token(profile, minValidSeconds, context, [this, run](Result<TokenSet> tokens) {
        if (!tokens) {
            run->outcome.error = tokens.error();
            step(run, RequestStep::Kind::Failed,
                 QStringLiteral("No token: %1").arg(tokens.error().message()));
            finish(run);
            return;
        }
        step(run, RequestStep::Kind::Token,
             QStringLiteral("Token from %1, valid for %2")
                 .arg(m_tokens.name(), lifetimeText(m_clock.now(), tokens->expiresAt)));
        attempt(run, tokens->accessToken);
    });
}

void RequestRunner::attempt(const std::shared_ptr<Run> &run, const QString &accessToken)
{
    run->tokens << accessToken;
    HttpRequest http;
    http.method = run->request.method;
    http.url = run->outcome.url;
    http.body = run->request.body;
    for (const auto &[name, value] : run->request.headers) {
        http.headers.append({name.toLatin1(), value.toUtf8()});
    }
    if (!run->request.contentType.isEmpty() && !hasHeader(run->request, u"Content-Type")) {
        http.headers.append({QByteArrayLiteral("Content-Type"), run->request.contentType.toUtf8()});
    }
    if (!hasHeader(run->request, u"Accept")) {
        http.headers.append({QByteArrayLiteral("Accept"), QByteArrayLiteral("*/*")});
    }
    http.headers.append({QByteArrayLiteral("Authorization"), "Bearer " + accessToken.toUtf8()});

    step(run, RequestStep::Kind::Sent,
         QStringLiteral("%1 %2%3").arg(
             QString::fromLatin1(http.method), http.url.toDisplayString(),
             run->outcome.retried ? QStringLiteral(" (again, with the new token)") : QString()));
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    m_http.send(http, run->context, [this, run, clock](Result<HttpResponse> answer) {
        run->outcome.elapsedMs = clock->elapsed();
        if (!answer) {
            run->outcome.error = answer.error();
            step(run, RequestStep::Kind::Failed, answer.error().message());
            finish(run);
            return;
        }
        const HttpResponse response = *answer;
        run->outcome.response = response;
        step(run, RequestStep::Kind::Answered,
             QStringLiteral("%1 in %2 ms, %3%4")
                 .arg(statusText(response.status))
                 .arg(run->outcome.elapsedMs)
                 .arg(sizeText(response.body.size()),
                      response.bodyCut ? QStringLiteral(" (cut there)") : QString()));
        // The reason of this answer only: a retry that succeeds has none.
        run->outcome.reason = response.status >= 400 ? reasonOf(response, run->tokens) : QString();
        if (response.status != 401) {
            finish(run);
            return;
        }
        const QString said = run->outcome.reason.isEmpty()
            ? QStringLiteral("no reason given")
            : QStringLiteral("\"%1\"").arg(run->outcome.reason);
        if (run->outcome.retried) {
            step(run, RequestStep::Kind::Rejected,
                 QStringLiteral("The server refused the new token too: %1").arg(said));
            finish(run);
            return;
        }
        step(run, RequestStep::Kind::Rejected,
             QStringLiteral("The server refused the token (%1); asking %2 for a new one")
                 .arg(said, m_tokens.name()));
        m_tokens.renewRejected(
            run->profile, run->tokens.constLast(), run->context,
            [this, run](Result<TokenSet> renewed) {
                if (!renewed) {
                    run->outcome.error = renewed.error();
                    step(run, RequestStep::Kind::Failed,
                         QStringLiteral("Renewing the token failed: %1")
                             .arg(renewed.error().message()));
                    finish(run);
                    return;
                }
                step(run, RequestStep::Kind::Renewed,
                     QStringLiteral("New token from %1, valid for %2")
                         .arg(m_tokens.name(), lifetimeText(m_clock.now(), renewed->expiresAt)));
                run->outcome.retried = true;
                attempt(run, renewed->accessToken);
            });
    });
}

void RequestRunner::step(const std::shared_ptr<Run> &run, RequestStep::Kind kind,
                         const QString &text)
{
    RequestStep entry {kind, m_clock.now(), redacted(text, run->tokens)};
    run->outcome.timeline.append(entry);
    if (run->progress && run->context) {
        run->progress(entry);
    }
}

void RequestRunner::finish(const std::shared_ptr<Run> &run)
{
    if (run->context) {
        run->outcome.tokensSent = run->tokens;
        run->done(std::move(run->outcome));
    }
}

QString RequestRunner::reasonOf(const HttpResponse &response, const QStringList &secrets)
{
    // An API's error fields, each also as {"field": {"message": "…"}}.
    static const ServerWordsRules rules {
        .jsonPaths = {QStringLiteral("error_description"),
                      QStringLiteral("error_description.message"), QStringLiteral("message"),
                      QStringLiteral("message.message"), QStringLiteral("detail"),
                      QStringLiteral("detail.message"), QStringLiteral("title"),
                      QStringLiteral("title.message"), QStringLiteral("error"),
                      QStringLiteral("error.message")},
        .readChallenge = true,
    };
    return serverWords(response, secrets, rules);
}

QString RequestRunner::statusText(int status)
{
    static const QHash<int, QString> phrases {
        {200, QStringLiteral("OK")},
        {201, QStringLiteral("Created")},
        {202, QStringLiteral("Accepted")},
        {204, QStringLiteral("No Content")},
        {301, QStringLiteral("Moved Permanently")},
        {302, QStringLiteral("Found")},
        {303, QStringLiteral("See Other")},
        {304, QStringLiteral("Not Modified")},
        {307, QStringLiteral("Temporary Redirect")},
        {308, QStringLiteral("Permanent Redirect")},
        {400, QStringLiteral("Bad Request")},
        {401, QStringLiteral("Unauthorized")},
        {403, QStringLiteral("Forbidden")},
        {404, QStringLiteral("Not Found")},
        {405, QStringLiteral("Method Not Allowed")},
        {409, QStringLiteral("Conflict")},
        {410, QStringLiteral("Gone")},
        {413, QStringLiteral("Content Too Large")},
        {415, QStringLiteral("Unsupported Media Type")},
        {422, QStringLiteral("Unprocessable Content")},
        {429, QStringLiteral("Too Many Requests")},
        {500, QStringLiteral("Internal Server Error")},
        {502, QStringLiteral("Bad Gateway")},
        {503, QStringLiteral("Service Unavailable")},
        {504, QStringLiteral("Gateway Timeout")},
    };
    const QString phrase = phrases.value(status);
    return phrase.isEmpty() ? QString::number(status) : QString::number(status) + u' ' + phrase;
}

} // namespace tokenkeeper
