// RequestRunner over real sockets: the demo server as a separate process, a
// real TokenService with the real keychain as the TokenProvider (with
// a wrapper that counts what the runner asks of it), and for the runner's
// own logic a small provider that answers at once. Plus reasonOf and
// statusText as tables.
#include "auth/authclient.h"
#include "auth/presetregistry.h"
#include "auth/tokenservice.h"
#include "core/clock.h"
#include "democredentials.h"
#include "net/httpclient.h"
#include "profiles/profile.h"
#include "request/requestrunner.h"
#include "secrets/keychainsecretstore.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTest>
#include <QUuid>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

namespace {

using Kind = RequestStep::Kind;

// Passes everything on to another provider and remembers what was asked and
// which tokens went out, so a test can look for them without printing them.
class CountingProvider final : public TokenProvider
{
public:
    explicit CountingProvider(TokenProvider &real)
        : m_real(real)
    { }

    void token(const Profile &profile, int minValidSeconds, QObject *context, Done done) override
    {
        ++tokenCalls;
        minValid = minValidSeconds;
        m_real.token(profile, minValidSeconds, context, remember(std::move(done)));
    }
    void renewRejected(const Profile &profile, const QString &rejectedToken, QObject *context,
                       Done done) override
    {
        rejected.append(rejectedToken);
        m_real.renewRejected(profile, rejectedToken, context, remember(std::move(done)));
    }
    QString name() const override { return QStringLiteral("the counter"); }

    int tokenCalls = 0;
    int minValid = -1;
    QStringList rejected;
    QStringList handedOut;

private:
    Done remember(Done done)
    {
        return [this, done = std::move(done)](Result<TokenSet> tokens) {
            if (tokens) {
                handedOut.append(tokens->accessToken);
            }
            done(tokens);
        };
    }

    TokenProvider &m_real;
};

// Answers at once: `token` for token(), `renewed` for renewRejected().
class InstantProvider final : public TokenProvider
{
public:
    void token(const Profile &, int, QObject *, Done done) override
    {
        ++tokenCalls;
        done(token_);
    }
    void renewRejected(const Profile &, const QString &rejectedToken, QObject *, Done done) override
    {
        rejected.append(rejectedToken);
        done(renewed);
    }
    QString name() const override { return QStringLiteral("the test"); }

    static TokenSet tokens(const QString &access)
    {
        TokenSet set;
        set.accessToken = access;
        set.obtainedAt = QDateTime::currentDateTimeUtc();
        set.expiresAt = set.obtainedAt.addSecs(600);
        return set;
    }

    Result<TokenSet> token_ = tokens(QStringLiteral("instant-token-0001"));
    Result<TokenSet> renewed = tokens(QStringLiteral("instant-token-0002"));
    int tokenCalls = 0;
    QStringList rejected;
};

struct Harness
{
    SystemClock clock;
    QNetworkAccessManager nam;
    HttpClient authHttp {&nam, {5000, 1024 * 1024}};
    AuthClient auth {&authHttp, clock};
    KeychainSecretStore keychain {QStringLiteral("Tokenkeeper test"), 10'000};
    PresetRegistry presets = PresetRegistry::load({});
    TokenService tokens {&auth, &keychain, presets, clock};
    CountingProvider counting {tokens};
    HttpClient http {&nam, {5000, 1024 * 1024, /*cutOverLimit=*/true}};
    RequestRunner runner {http, counting, clock};
};

QList<Kind> kindsOf(const RequestOutcome &outcome)
{
    QList<Kind> kinds;
    for (const RequestStep &step : outcome.timeline) {
        kinds.append(step.kind);
    }
    return kinds;
}

// Whether any of `tokens` shows in the timeline, the reason or the error.
bool mentionsAny(const RequestOutcome &outcome, const QStringList &tokens)
{
    QStringList texts {outcome.reason};
    for (const RequestStep &step : outcome.timeline) {
        texts.append(step.text);
    }
    if (outcome.error) {
        texts.append(outcome.error->message());
    }
    for (const QString &text : std::as_const(texts)) {
        for (const QString &token : tokens) {
            if (!token.isEmpty() && text.contains(token)) {
                return true;
            }
        }
    }
    return false;
}

HttpResponse response(int status, const QByteArray &contentType, const QByteArray &body,
                      const QByteArray &challenge = {})
{
    HttpResponse r;
    r.status = status;
    if (!contentType.isEmpty()) {
        r.headers.append({QByteArrayLiteral("Content-Type"), contentType});
    }
    if (!challenge.isEmpty()) {
        r.headers.append({QByteArrayLiteral("WWW-Authenticate"), challenge});
    }
    r.body = body;
    return r;
}

} // namespace

Q_DECLARE_METATYPE(tokenkeeper::HttpResponse)

class TestRequestRunner final : public QObject
{
    Q_OBJECT

    Emulator m_emulator;

    Profile oauthProfile()
    {
        Profile profile;
        profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        profile.name = QStringLiteral("runner test");
        profile.preset = QStringLiteral("oauth2-password");
        profile.baseUrl = m_emulator.baseUrl();
        profile.username = QLatin1String(emulator::demo::oauthUser);
        profile.clientId = QLatin1String(emulator::demo::oauthPublicClientId);
        return profile;
    }

    bool login(Harness &h, const Profile &profile)
    {
        std::optional<Result<TokenSet>> slot;
        h.tokens.login(profile, QLatin1String(emulator::demo::oauthPassword), this,
                       [&slot](Result<TokenSet> result) { slot.emplace(result); });
        if (!QTest::qWaitFor([&slot] { return slot.has_value(); }, 30'000) || !*slot) {
            qWarning("login failed: %s", slot ? qPrintable(slot->error().message()) : "no answer");
            return false;
        }
        return true;
    }

    std::optional<RequestOutcome> send(RequestRunner &runner, const Profile &profile,
                                       const ApiRequest &request,
                                       QList<RequestStep> *progress = nullptr)
    {
        std::optional<RequestOutcome> outcome;
        int calls = 0;
        runner.send(
            profile, request, this,
            [progress](const RequestStep &step) {
                if (progress) {
                    progress->append(step);
                }
            },
            [&outcome, &calls](RequestOutcome result) {
                ++calls;
                outcome.emplace(std::move(result));
            });
        if (!QTest::qWaitFor([&outcome] { return outcome.has_value(); }, 30'000)) {
            qWarning("no outcome");
        }
        QTest::qWait(50); // a second call of done would show here
        if (calls > 1) {
            qWarning("done was called %d times", calls);
            return std::nullopt;
        }
        return outcome;
    }

    int stat(const QString &group, const QString &key)
    {
        return m_emulator.get(QStringLiteral("/_emulator/stats"))
            .value(group)
            .toObject()
            .value(key)
            .toInt();
    }

    void fault(const QJsonObject &plan)
    {
        m_emulator.post(QStringLiteral("/_emulator/fault"), plan);
    }

    static ApiRequest echo(const QByteArray &method = QByteArrayLiteral("GET"))
    {
        ApiRequest request;
        request.method = method;
        request.target = QStringLiteral("/oauth/api/echo");
        return request;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_emulator.start(), "the demo server did not start"); }

    void init() { m_emulator.post(QStringLiteral("/_emulator/reset")); }

    void cleanup() { fault({{QStringLiteral("mode"), QStringLiteral("none")}}); }

    void send_200_sendsAsTyped_noRenewal()
    {
        Harness h;
        const Profile profile = oauthProfile();
        QVERIFY(login(h, profile));
        ApiRequest request = echo(QByteArrayLiteral("PATCH"));
        request.target = QStringLiteral("oauth/api/echo?q=it%27s&n=1");
        request.headers = {{QStringLiteral("X-Test"), QStringLiteral("Grüße $HOME")}};
        request.body = "{\"a\": [1, 2]}";
        request.contentType = QStringLiteral("application/json");

        QList<RequestStep> progress;
        const auto outcome = send(h.runner, profile, request, &progress);
        QVERIFY(outcome.has_value());
        QVERIFY2(outcome->succeeded(), outcome->error ? qPrintable(outcome->error->message()) : "");
        QVERIFY(!outcome->error);
        QCOMPARE(outcome->response->status, 200);
        QCOMPARE(outcome->url.path(), QStringLiteral("/oauth/api/echo"));
        QCOMPARE(h.counting.tokenCalls, 1);
        QCOMPARE(h.counting.minValid, RequestRunner::minValidSeconds);
        QVERIFY(h.counting.rejected.isEmpty());
        QVERIFY(!outcome->retried);
        QVERIFY(outcome->reason.isEmpty());
        QCOMPARE(kindsOf(*outcome), (QList<Kind> {Kind::Token, Kind::Sent, Kind::Answered}));
        QCOMPARE(progress.size(), outcome->timeline.size());
        QVERIFY(outcome->timeline.at(1).text.startsWith(QStringLiteral("PATCH ")));
        QVERIFY(outcome->timeline.at(2).text.startsWith(QStringLiteral("200 OK")));
        QVERIFY(!mentionsAny(*outcome, h.counting.handedOut));

        const QJsonObject seen = QJsonDocument::fromJson(outcome->response->body).object();
        QCOMPARE(seen.value(QStringLiteral("method")).toString(), QStringLiteral("PATCH"));
        QCOMPARE(seen.value(QStringLiteral("query")).toString(), QStringLiteral("q=it%27s&n=1"));
        QCOMPARE(seen.value(QStringLiteral("body")).toString(), QStringLiteral("{\"a\": [1, 2]}"));
        const QJsonObject headers = seen.value(QStringLiteral("headers")).toObject();
        QCOMPARE(headers.value(QStringLiteral("x-test")).toString(), QStringLiteral("Grüße $HOME"));
        QCOMPARE(headers.value(QStringLiteral("content-type")).toString(),
                 QStringLiteral("application/json"));
        QCOMPARE(headers.value(QStringLiteral("accept")).toString(), QStringLiteral("*/*"));
        QCOMPARE(stat(QStringLiteral("refreshes"), QStringLiteral("oauth2")), 0);
    }

    void send_401Once_renewsOnceWithTheRejectedToken_andSucceeds()
    {
        Harness h;
        const Profile profile = oauthProfile();
        QVERIFY(login(h, profile));
        fault({{QStringLiteral("mode"), QStringLiteral("401")},
               {QStringLiteral("target"), QStringLiteral("api")},
               {QStringLiteral("count"), 1}});

        const auto outcome = send(h.runner, profile, echo());
        QVERIFY(outcome.has_value());
        QVERIFY2(outcome->succeeded(), outcome->error ? qPrintable(outcome->error->message()) : "");
        QCOMPARE(outcome->response->status, 200);
        QVERIFY(outcome->retried);
        QCOMPARE(h.counting.rejected.size(), 1);
        QCOMPARE(h.counting.handedOut.size(), 2); // the first token, the renewed one
        QVERIFY(h.counting.rejected.first() == h.counting.handedOut.first());
        QVERIFY(h.counting.handedOut.at(1) != h.counting.handedOut.at(0));
        QCOMPARE(kindsOf(*outcome),
                 (QList<Kind> {Kind::Token, Kind::Sent, Kind::Answered, Kind::Rejected,
                               Kind::Renewed, Kind::Sent, Kind::Answered}));
        QVERIFY2(outcome->timeline.at(3).text.contains(
                     QStringLiteral("Token rejected (injected fault).")),
                 qPrintable(outcome->timeline.at(3).text));
        QVERIFY(outcome->timeline.at(5).text.contains(QStringLiteral("again")));
        // The request succeeded: there is no reason for an error to show.
        QVERIFY2(outcome->reason.isEmpty(), qPrintable(outcome->reason));
        QVERIFY(!mentionsAny(*outcome, h.counting.handedOut));
        QCOMPARE(stat(QStringLiteral("refreshes"), QStringLiteral("oauth2")), 1);
    }

    void send_401Always_oneRenewalOnly_final401WithTheServersReason()
    {
        Harness h;
        const Profile profile = oauthProfile();
        QVERIFY(login(h, profile));
        fault({{QStringLiteral("mode"), QStringLiteral("401")},
               {QStringLiteral("target"), QStringLiteral("api")}});

        const auto outcome = send(h.runner, profile, echo());
        QVERIFY(outcome.has_value());
        QVERIFY(!outcome->succeeded());
        QVERIFY(!outcome->error);
        QCOMPARE(outcome->response->status, 401);
        QVERIFY(outcome->retried);
        QCOMPARE(h.counting.rejected.size(), 1);
        QCOMPARE(h.counting.handedOut.size(), 2);
        QCOMPARE(outcome->reason, QStringLiteral("Token rejected (injected fault)."));
        QCOMPARE(kindsOf(*outcome),
                 (QList<Kind> {Kind::Token, Kind::Sent, Kind::Answered, Kind::Rejected,
                               Kind::Renewed, Kind::Sent, Kind::Answered, Kind::Rejected}));
        QVERIFY(outcome->timeline.last().text.contains(QStringLiteral("new token too")));
        QVERIFY(!mentionsAny(*outcome, h.counting.handedOut));
        QVERIFY(!mentionsAny(*outcome, m_emulator.issuedTokens()));
        QCOMPARE(stat(QStringLiteral("refreshes"), QStringLiteral("oauth2")), 1);
        QCOMPARE(stat(QStringLiteral("requests"), QStringLiteral("/oauth/api/echo")), 2);
    }

    void send_serverRejectsEverything_renewalFails_outcomeError()
    {
        Harness h;
        const Profile profile = oauthProfile();
        QVERIFY(login(h, profile));
        // Every OAuth token dies: the access token gets a 401, the refresh invalid_grant.
        m_emulator.post(QStringLiteral("/_emulator/revoke"),
                        {{QStringLiteral("server"), QStringLiteral("oauth2")}});

        const auto outcome = send(h.runner, profile, echo());
        QVERIFY(outcome.has_value());
        QVERIFY(!outcome->succeeded());
        QVERIFY(outcome->error.has_value());
        QCOMPARE(outcome->error->kind(), Error::Kind::LoginRequired);
        QCOMPARE(h.counting.rejected.size(), 1);
        QCOMPARE(outcome->timeline.last().kind, Kind::Failed);
        QVERIFY(
            outcome->timeline.last().text.startsWith(QStringLiteral("Renewing the token failed")));
        QVERIFY(!mentionsAny(*outcome, m_emulator.issuedTokens()));
        QCOMPARE(stat(QStringLiteral("requests"), QStringLiteral("/oauth/api/echo")), 1);
    }

    void send_contextDropped_cancels_doneNeverCalled()
    {
        Harness h;
        const Profile profile = oauthProfile();
        QVERIFY(login(h, profile));
        fault({{QStringLiteral("mode"), QStringLiteral("slow")},
               {QStringLiteral("target"), QStringLiteral("api")},
               {QStringLiteral("delayMs"), 800}});

        auto *context = new QObject(this);
        bool sent = false;
        int doneCalls = 0;
        int stepsAfterCancel = 0;
        bool cancelled = false;
        h.runner.send(
            profile, echo(), context,
            [&](const RequestStep &step) {
                sent = sent || step.kind == Kind::Sent;
                stepsAfterCancel += cancelled ? 1 : 0;
            },
            [&doneCalls](RequestOutcome) { ++doneCalls; });
        QTRY_VERIFY_WITH_TIMEOUT(sent, 10'000);
        QTest::qWait(100); // the request reaches the server and is held there
        delete context;
        cancelled = true;
        QTest::qWait(1500); // past the server's delay: an answer would have come by now
        QCOMPARE(doneCalls, 0);
        QCOMPARE(stepsAfterCancel, 0);
        QCOMPARE(stat(QStringLiteral("requests"), QStringLiteral("/oauth/api/echo")), 1);
    }

    void send_notLoggedIn_errorAndNothingSent()
    {
        Harness h;
        const auto outcome = send(h.runner, oauthProfile(), echo());
        QVERIFY(outcome.has_value());
        QVERIFY(!outcome->response);
        QVERIFY(outcome->error.has_value());
        QCOMPARE(outcome->error->kind(), Error::Kind::NotLoggedIn);
        QCOMPARE(kindsOf(*outcome), QList<Kind> {Kind::Failed});
        QCOMPARE(stat(QStringLiteral("requests"), QStringLiteral("/oauth/api/echo")), 0);
    }

    void send_hugeAnswer_keepsTheStartAndSaysItWasCut()
    {
        Harness h;
        const Profile profile = oauthProfile();
        QVERIFY(login(h, profile));
        fault({{QStringLiteral("mode"), QStringLiteral("huge")},
               {QStringLiteral("target"), QStringLiteral("api")}});
        const auto outcome = send(h.runner, profile, echo());
        QVERIFY(outcome.has_value());
        QVERIFY2(outcome->succeeded(), outcome->error ? qPrintable(outcome->error->message()) : "");
        QVERIFY(outcome->response->bodyCut);
        QCOMPARE(outcome->response->body.size(), qsizetype(1024 * 1024));
        QVERIFY(outcome->response->body.startsWith('{'));
        QVERIFY(outcome->timeline.last().text.contains(QStringLiteral("cut")));
    }

    // The runner's own logic, with a provider that answers at once.

    void send_badTarget_usageError_noTokenAsked()
    {
        Harness h;
        InstantProvider provider;
        RequestRunner runner(h.http, provider, h.clock);
        ApiRequest request = echo();
        request.target = QStringLiteral("ftp://127.0.0.1/x");
        const auto outcome = send(runner, oauthProfile(), request);
        QVERIFY(outcome.has_value());
        QVERIFY(outcome->error.has_value());
        QCOMPARE(outcome->error->kind(), Error::Kind::Usage);
        QCOMPARE(provider.tokenCalls, 0);
    }

    void send_renewalRefused_errorKeepsItsKind_andTheRetryIsNotSent()
    {
        Harness h;
        InstantProvider provider; // its tokens mean nothing to the server: 401
        provider.renewed = Error(Error::Kind::LoginRequired, QStringLiteral("Log in again."));
        RequestRunner runner(h.http, provider, h.clock);
        const auto outcome = send(runner, oauthProfile(), echo());
        QVERIFY(outcome.has_value());
        QVERIFY(outcome->error.has_value());
        QCOMPARE(outcome->error->kind(), Error::Kind::LoginRequired);
        QVERIFY(!outcome->succeeded());
        QVERIFY(!outcome->retried);
        QCOMPARE(provider.rejected, QStringList {QStringLiteral("instant-token-0001")});
        QCOMPARE(
            kindsOf(*outcome),
            (QList<Kind> {Kind::Token, Kind::Sent, Kind::Answered, Kind::Rejected, Kind::Failed}));
        QVERIFY(outcome->reason.contains(QStringLiteral("invalid")));
        QCOMPARE(stat(QStringLiteral("requests"), QStringLiteral("/oauth/api/echo")), 1);
    }

    void send_noToken_errorKeepsItsKind()
    {
        Harness h;
        InstantProvider provider;
        provider.token_ = Error(Error::Kind::Keychain, QStringLiteral("The keychain is locked."));
        RequestRunner runner(h.http, provider, h.clock);
        const auto outcome = send(runner, oauthProfile(), echo());
        QVERIFY(outcome.has_value());
        QVERIFY(outcome->error.has_value());
        QCOMPARE(outcome->error->kind(), Error::Kind::Keychain);
        QVERIFY(outcome->timeline.last().text.contains(QStringLiteral("The keychain is locked.")));
        QCOMPARE(stat(QStringLiteral("requests"), QStringLiteral("/oauth/api/echo")), 0);
    }

    void send_connectionDropped_networkError()
    {
        Harness h;
        InstantProvider provider;
        RequestRunner runner(h.http, provider, h.clock);
        fault({{QStringLiteral("mode"), QStringLiteral("drop")},
               {QStringLiteral("target"), QStringLiteral("api")}});
        const auto outcome = send(runner, oauthProfile(), echo());
        QVERIFY(outcome.has_value());
        QVERIFY(!outcome->response);
        QVERIFY(outcome->error.has_value());
        QCOMPARE(outcome->error->kind(), Error::Kind::Network);
        QVERIFY(provider.rejected.isEmpty());
    }

    void reasonOf_table_data()
    {
        QTest::addColumn<HttpResponse>("answer");
        QTest::addColumn<QString>("expected");

        QTest::newRow("WWW-Authenticate error_description") << response(
            401, "application/json", R"({"message": "body words"})",
            R"(Bearer realm="x", error="invalid_token", error_description="The token expired")")
                                                            << QStringLiteral("The token expired");
        QTest::newRow("challenge without a description, empty body")
            << response(401, {}, {}, R"(Bearer realm="api")")
            << QStringLiteral(R"(Bearer realm="api")");
        QTest::newRow("JSON message")
            << response(403, "application/json", R"({"message": "No access to x"})")
            << QStringLiteral("No access to x");
        QTest::newRow("JSON error_description before message")
            << response(400, "application/json",
                        R"({"error": "invalid_request", "message": "m", "error_description": "d"})")
            << QStringLiteral("d");
        QTest::newRow("JSON nested error.message") << response(
            500, "application/json", R"({"error": {"code": 7, "message": "Nested words"}})")
                                                   << QStringLiteral("Nested words");
        QTest::newRow("JSON error string")
            << response(400, "application/json", R"({"error": "invalid_request"})")
            << QStringLiteral("invalid_request");
        QTest::newRow("JSON detail")
            << response(422, "application/problem+json",
                        R"({"type": "about:blank", "detail": "Field x is bad"})")
            << QStringLiteral("Field x is bad");
        QTest::newRow("JSON without words")
            << response(500, "application/json", R"({"code": 5})") << QString();
        QTest::newRow("HTML title")
            << response(502, "text/html",
                        "<html><head><TITLE>502 Bad Gateway</TITLE></head><body>x</body></html>")
            << QStringLiteral("502 Bad Gateway");
        QTest::newRow("HTML without a content type")
            << response(502, {}, "  <!DOCTYPE html><html><title>Down</title></html>")
            << QStringLiteral("Down");
        QTest::newRow("text, first line")
            << response(503, "text/plain", "Service Unavailable\nretry later\n")
            << QStringLiteral("Service Unavailable");
        QTest::newRow("text, one line") << response(500, "text/plain", "Database is down")
                                        << QStringLiteral("Database is down");
        QTest::newRow("text, UTF-8") << response(500, "text/plain",
                                                 "Gr\xc3\xbc\xc3\x9f"
                                                 "e\r\nx")
                                     << QStringLiteral("Grüße");
        QTest::newRow("control characters folded")
            << response(400, "application/json", "{\"message\": \"a\\u001b[31mb\\tc\"}")
            << QStringLiteral("a [31mb c");
        QTest::newRow("binary body")
            << response(200, "application/octet-stream", "\xff\xfe\x80\x81 zz") << QString();
        QTest::newRow("binary body with control bytes")
            << response(500, {}, QByteArray("\xff\x00\x01\x02", 4)) << QString();
        QTest::newRow("empty") << response(500, {}, {}) << QString();
    }

    void reasonOf_table()
    {
        QFETCH(HttpResponse, answer);
        QFETCH(QString, expected);
        const QString reason = RequestRunner::reasonOf(answer, {});
        QCOMPARE(reason, expected);
    }

    void reasonOf_tokenInTheBody_isRedacted_data()
    {
        QTest::addColumn<HttpResponse>("answer");
        const QByteArray token = "tok-5a5a5a5a5a5a";
        QTest::newRow("JSON") << response(401, "application/json",
                                          "{\"message\": \"token " + token + " is unknown\"}");
        QTest::newRow("text") << response(401, "text/plain", "bad token " + token + "\n");
        QTest::newRow("challenge")
            << response(401, {}, {}, "Bearer error_description=\"token " + token + " expired\"");
        QTest::newRow("HTML") << response(401, "text/html",
                                          "<title>token " + token + " refused</title>");
    }

    void reasonOf_tokenInTheBody_isRedacted()
    {
        QFETCH(HttpResponse, answer);
        const QString token = QStringLiteral("tok-5a5a5a5a5a5a");
        const QString reason =
            RequestRunner::reasonOf(answer, {QStringLiteral("other-secret"), token});
        QVERIFY(!reason.contains(token));
        QVERIFY2(reason.contains(QStringLiteral("[redacted]")), qPrintable(reason));
    }

    void reasonOf_longWords_areCutAt300_afterRedacting()
    {
        const QString token = QStringLiteral("tok-0123456789abcdef");
        // The token straddles the cut: no part of it may survive.
        const QByteArray body = "{\"message\": \"" + QByteArray(295, 'w') + token.toUtf8()
            + " tail " + QByteArray(500, 'z') + "\"}";
        const QString reason =
            RequestRunner::reasonOf(response(400, "application/json", body), {token});
        QCOMPARE(reason.size(), 301);
        QVERIFY(reason.endsWith(QStringLiteral("…")));
        QVERIFY(!reason.contains(token.left(6)));
        QVERIFY(reason.startsWith(QString(295, u'w')));

        const QString plain =
            RequestRunner::reasonOf(response(400, "text/plain", QByteArray(1000, 'a')), {});
        QCOMPARE(plain, QString(300, u'a') + QStringLiteral("…"));
    }

    void statusText_table_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("text");
        QTest::newRow("200") << 200 << QStringLiteral("200 OK");
        QTest::newRow("204") << 204 << QStringLiteral("204 No Content");
        QTest::newRow("302") << 302 << QStringLiteral("302 Found");
        QTest::newRow("401") << 401 << QStringLiteral("401 Unauthorized");
        QTest::newRow("404") << 404 << QStringLiteral("404 Not Found");
        QTest::newRow("429") << 429 << QStringLiteral("429 Too Many Requests");
        QTest::newRow("503") << 503 << QStringLiteral("503 Service Unavailable");
        QTest::newRow("418 unknown") << 418 << QStringLiteral("418");
        QTest::newRow("599 unknown") << 599 << QStringLiteral("599");
    }

    void statusText_table()
    {
        QFETCH(int, status);
        QFETCH(QString, text);
        QCOMPARE(RequestRunner::statusText(status), text);
    }
};

QTEST_GUILESS_MAIN(TestRequestRunner)
#include "tst_requestrunner.moc"
