#pragma once

#include "apirequest.h"
#include "core/error.h"
#include "net/httpclient.h"

#include <QDateTime>
#include <QObject>

#include <functional>
#include <optional>

namespace tokenkeeper {

class Clock;
class TokenProvider;
struct Profile;

// One thing that happened while a request was under way, for the timeline.
struct RequestStep
{
    enum class Kind { Token, Sent, Answered, Rejected, Renewed, Failed };
    Kind kind = Kind::Token;
    QDateTime at;
    QString text; // never holds a token
};

// How a request ended: the server's last answer, or an error when it could
// not be completed (no token, no connection, the renewal after a 401 failed;
// `response` then still holds that 401).
struct RequestOutcome
{
    QUrl url;
    std::optional<HttpResponse> response;
    std::optional<Error> error; // set: the request failed, whatever `response` holds
    QList<RequestStep> timeline;
    qint64 elapsedMs = 0; // of the last exchange
    bool retried = false; // a 401 renewed the token and the request went again
    QString reason; // the server's words for an error status, tokens redacted
    // Every access token sent, only so that whoever keeps the request (the
    // history) can redact them. Never shown.
    QStringList tokensSent;

    bool succeeded() const { return response && response->status >= 200 && response->status < 400; }
};

// Sends a request with a profile's token attached, and when the server
// answers 401, renews the token once and sends it once more:
//
//   token (valid >= 30 s) --> send --> 401? --no--> done
//                                        |yes
//                        renewRejected(token) -- one renewal shared with
//                                        |       everybody who saw that token
//                                      send --> done (a second 401 is final)
//
// The caller's headers, method and body go as typed; Authorization is added
// here and nowhere else. Dropping `context` cancels the request.
class RequestRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestRunner)

public:
    using Progress = std::function<void(const RequestStep &)>;
    using Done = std::function<void(RequestOutcome)>;
    static constexpr int minValidSeconds = 30;

    RequestRunner(HttpClient &http, TokenProvider &tokens, const Clock &clock,
                  QObject *parent = nullptr);
    ~RequestRunner() override = default;

    void send(const Profile &profile, const ApiRequest &request, QObject *context,
              Progress progress, Done done);

    // The server's reason for an error answer: WWW-Authenticate's
    // error_description, a JSON error message, an HTML page's title or the
    // first line of text; `secrets` redacted, at most 300 characters.
    static QString reasonOf(const HttpResponse &response, const QStringList &secrets);
    // "404 Not Found"
    static QString statusText(int status);

private:
    struct Run;
    void attempt(const std::shared_ptr<Run> &run, const QString &accessToken);
    void step(const std::shared_ptr<Run> &run, RequestStep::Kind kind, const QString &text);
    void finish(const std::shared_ptr<Run> &run);

    HttpClient &m_http;
    TokenProvider &m_tokens;
    const Clock &m_clock;
};

} // namespace tokenkeeper
Q_DECLARE_METATYPE(tokenkeeper::RequestOutcome)
