// How answers are read: lifetimes in their order of precedence, clock skew,
// and every kind of error answer, per preset. Pure logic on HttpResponse
// values; the wire is covered by the command-line tests against the emulators.
#include "auth/authclient.h"
#include "auth/presetregistry.h"
#include "net/httpclient.h"

#include <QJsonDocument>
#include <QLocale>
#include <QTest>

using namespace tokenkeeper;

namespace {

QString jwtWithExp(qint64 exp)
{
    const auto b64 = [](const QByteArray &data) {
        return QString::fromLatin1(
            data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    return b64(R"({"alg":"HS256"})") + u'.'
        + b64(QByteArrayLiteral("{\"exp\":") + QByteArray::number(exp) + '}') + u'.'
        + QStringLiteral("sig");
}

HttpResponse answer(int status, const QByteArray &body,
                    const QByteArray &type = QByteArrayLiteral("application/json"))
{
    HttpResponse response;
    response.status = status;
    response.body = body;
    response.headers.append({QByteArrayLiteral("Content-Type"), type});
    return response;
}

QByteArray httpDate(const QDateTime &when)
{
    return QLocale::c()
        .toString(when.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"))
        .toLatin1();
}

} // namespace

class TestAuthClient final : public QObject
{
    Q_OBJECT

    PresetRegistry m_presets = PresetRegistry::load({});
    const QDateTime m_now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);

    Profile profileFor(const QString &preset, int lifetime = 0) const
    {
        Profile profile;
        profile.name = QStringLiteral("p");
        profile.preset = preset;
        profile.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
        profile.lifetimeSeconds = lifetime;
        return profile;
    }

private Q_SLOTS:
    void lifetime_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<int>("profileLifetime");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("serverDate");
        QTest::addColumn<qint64>("expectedSecondsLeft");
        QTest::addColumn<int>("source");

        const qint64 now = m_now.toSecsSinceEpoch();
        const QByteArray jwt = jwtWithExp(now + 900).toLatin1();
        QTest::newRow("sensu expires_at beats the jwt")
            << QStringLiteral("sensu") << 0
            << QByteArray(R"({"access_token":")" + jwt + R"(","expires_at":)"
                          + QByteArray::number(now + 300) + R"(,"refresh_token":"r"})")
            << QByteArray() << qint64(300) << int(TokenSet::LifetimeSource::ExpiresAt);
        QTest::newRow("squidex expires_in")
            << QStringLiteral("squidex") << 0
            << QByteArray(R"({"access_token":")" + jwt + R"(","expires_in":2592000})")
            << QByteArray() << qint64(2592000) << int(TokenSet::LifetimeSource::ExpiresIn);
        QTest::newRow("expires_in as a string")
            << QStringLiteral("oauth2-client-credentials") << 0
            << QByteArray(R"({"access_token":"opaque","expires_in":"120"})") << QByteArray()
            << qint64(120) << int(TokenSet::LifetimeSource::ExpiresIn);
        QTest::newRow("argus only the jwt says")
            << QStringLiteral("argus") << 0
            << QByteArray(R"({"accessToken":")" + jwt + R"(","refreshToken":"r"})") << QByteArray()
            << qint64(900) << int(TokenSet::LifetimeSource::Jwt);
        QTest::newRow("squirro says nothing: the preset's 10 minutes")
            << QStringLiteral("squirro") << 0
            << QByteArray(R"({"access_token":"882d9b12cce019ee0137e54beaeea2227db4db3e"})")
            << QByteArray() << qint64(600) << int(TokenSet::LifetimeSource::Preset);
        QTest::newRow("squirro with the profile's lifetime")
            << QStringLiteral("squirro") << 120
            << QByteArray(R"({"access_token":"882d9b12cce019ee0137e54beaeea2227db4db3e"})")
            << QByteArray() << qint64(120) << int(TokenSet::LifetimeSource::Profile);
        QTest::newRow("server clock 1 h ahead: exp shifted to our clock")
            << QStringLiteral("argus") << 0
            << QByteArray(R"({"accessToken":")" + jwtWithExp(now + 3600 + 900).toLatin1() + R"("})")
            << httpDate(m_now.addSecs(3600)) << qint64(900) << int(TokenSet::LifetimeSource::Jwt);
        QTest::newRow("server clock 2 s off: noise, not skew")
            << QStringLiteral("sensu") << 0
            << QByteArray(R"({"access_token":"a","expires_at":)" + QByteArray::number(now + 300)
                          + "}")
            << httpDate(m_now.addSecs(2)) << qint64(300)
            << int(TokenSet::LifetimeSource::ExpiresAt);
        QTest::newRow("negative expires_in is ignored")
            << QStringLiteral("oauth2-client-credentials") << 0
            << QByteArray(R"({"access_token":"a","expires_in":-5})") << QByteArray() << qint64(600)
            << int(TokenSet::LifetimeSource::Preset);
    }

    void lifetime()
    {
        QFETCH(QString, preset);
        QFETCH(int, profileLifetime);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, serverDate);
        QFETCH(qint64, expectedSecondsLeft);
        QFETCH(int, source);

        HttpResponse response = answer(200, body);
        if (!serverDate.isEmpty()) {
            response.headers.append({QByteArrayLiteral("Date"), serverDate});
        }
        const auto tokens = AuthClient::readTokenAnswer(
            response, profileFor(preset, profileLifetime), *m_presets.find(preset), m_now, m_now,
            AuthClient::Operation::Login);
        QVERIFY2(tokens, tokens ? "" : qPrintable(tokens.error().message()));
        QCOMPARE(m_now.secsTo(tokens->expiresAt), expectedSecondsLeft);
        QCOMPARE(int(tokens->lifetimeSource), source);
    }

    void lifetime_slowAnswer_dateInsideTheExchangeIsNoSkew()
    {
        // The server stamped its Date while we waited 20 s for the answer.
        const QDateTime sent = m_now;
        const QDateTime received = m_now.addSecs(20);
        HttpResponse response =
            answer(200,
                   QByteArray(R"({"access_token":"a","expires_at":)")
                       + QByteArray::number(m_now.toSecsSinceEpoch() + 300) + "}");
        response.headers.append({QByteArrayLiteral("Date"), httpDate(m_now.addSecs(10))});
        const Preset &sensu = *m_presets.find(QStringLiteral("sensu"));
        const auto tokens = AuthClient::readTokenAnswer(response, profileFor(sensu.id), sensu, sent,
                                                        received, AuthClient::Operation::Login);
        QVERIFY(tokens);
        QCOMPARE(m_now.secsTo(tokens->expiresAt), 300); // not pushed later by the wait
    }

    void lifetime_expiresIn_countsFromTheSending()
    {
        const Preset &squidex = *m_presets.find(QStringLiteral("squidex"));
        const auto tokens = AuthClient::readTokenAnswer(
            answer(200, R"({"access_token":"a","expires_in":60})"), profileFor(squidex.id), squidex,
            m_now, m_now.addSecs(5), AuthClient::Operation::Login);
        QVERIFY(tokens);
        QCOMPARE(m_now.secsTo(tokens->expiresAt), 60);
    }

    void lifetime_alreadyExpired_isAnError()
    {
        const Preset &sensu = *m_presets.find(QStringLiteral("sensu"));
        const auto tokens = AuthClient::readTokenAnswer(
            answer(200,
                   QByteArray(R"({"access_token":"a","expires_at":)")
                       + QByteArray::number(m_now.toSecsSinceEpoch() - 10) + "}"),
            profileFor(sensu.id), sensu, m_now, m_now, AuthClient::Operation::Refresh);
        QVERIFY(!tokens);
        QCOMPARE(tokens.error().kind(), Error::Kind::MalformedResponse);
        QVERIFY(tokens.error().message().contains(QStringLiteral("already expired")));
    }

    void errorAnswer_secretEchoedInAnyForm_isRedacted_data()
    {
        QTest::addColumn<QByteArray>("body");
        const QByteArray secret = "s3cret/value+x";
        QTest::newRow("as is") << QByteArray(R"({"message":"bad s3cret/value+x"})");
        QTest::newRow("json-escaped") << QByteArray(R"({"message":"bad s3cret\/value+x"})");
        QTest::newRow("percent-encoded") << QByteArray("bad s3cret%2Fvalue%2Bx");
        QTest::newRow("basic header echoed")
            << QByteArray("Authorization: Basic ") + QByteArray("argus-user:" + secret).toBase64();
        QTest::newRow("cut at the edge") << QByteArray(295, 'x') + secret;
    }

    void errorAnswer_secretEchoedInAnyForm_isRedacted()
    {
        QFETCH(QByteArray, body);
        Credentials credentials;
        credentials.password = QStringLiteral("s3cret/value+x");
        Profile profile = profileFor(QStringLiteral("argus"));
        profile.username = QStringLiteral("argus-user");
        const Preset &p = *m_presets.find(QStringLiteral("argus"));
        const Error error =
            AuthClient::readErrorAnswer(answer(401, body, "text/plain"), profile, p, *p.login,
                                        credentials, AuthClient::Operation::Login);
        QVERIFY2(!error.message().contains(QStringLiteral("s3cret")), qPrintable(error.message()));
        QVERIFY2(!error.message().contains(QStringLiteral("YXJndXMtdXNlcjpzM2NyZXQ")),
                 qPrintable(error.message()));
    }

    void errorAnswer_controlCharacters_neverReachTheTerminal()
    {
        const Preset &p = *m_presets.find(QStringLiteral("argus"));
        const Error error = AuthClient::readErrorAnswer(
            answer(401, "{\"message\":\"bad\\u001b[31m red\"}"), profileFor(p.id), p, *p.login, {},
            AuthClient::Operation::Login);
        QVERIFY(!error.message().contains(QChar(0x1b)));
        QVERIFY(error.message().contains(QStringLiteral("red")));
    }

    void tokenAnswer_notTokens_isMalformed_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<QString>("says");

        QTest::newRow("html login page") << QByteArray("<html><title>Sign in</title></html>")
                                         << QByteArray("text/html") << QStringLiteral("HTML page");
        QTest::newRow("garbage") << QByteArray("\x01\x02garbage{", 10)
                                 << QByteArray("application/json")
                                 << QStringLiteral("not a JSON object");
        QTest::newRow("json array") << QByteArray("[1]") << QByteArray("application/json")
                                    << QStringLiteral("not a JSON object");
        QTest::newRow("no access token")
            << QByteArray(R"({"token":"x"})") << QByteArray("application/json")
            << QStringLiteral("has no \"access_token\"");
        QTest::newRow("access token not a string")
            << QByteArray(R"({"access_token":42})") << QByteArray("application/json")
            << QStringLiteral("has no \"access_token\"");
        // What would go into a header or onto a terminal as it is (issue 11).
        const QString flawed = QStringLiteral("line break, control or non-ASCII");
        QTest::newRow("CR LF in the access token")
            << QByteArray("{\"access_token\":\"abc\\r\\nX-Injected: yes\"}")
            << QByteArray("application/json") << flawed;
        QTest::newRow("escape sequence in the access token")
            << QByteArray("{\"access_token\":\"abc\\u001b[31mred\"}")
            << QByteArray("application/json") << flawed;
        QTest::newRow("space in the access token") << QByteArray("{\"access_token\":\"abc def\"}")
                                                   << QByteArray("application/json") << flawed;
        QTest::newRow("line break in the refresh token")
            << QByteArray("{\"access_token\":\"abc\",\"refresh_token\":\"r\\nX: y\"}")
            << QByteArray("application/json") << QStringLiteral("refresh token with");
        QTest::newRow("access token over 16 KiB")
            << QByteArray("{\"access_token\":\"" + QByteArray(16 * 1024 + 1, 'a') + "\"}")
            << QByteArray("application/json") << QStringLiteral("at most 16 KiB");
        QTest::newRow("token type not Bearer")
            << QByteArray("{\"access_token\":\"abc\",\"token_type\":\"mac\"}")
            << QByteArray("application/json") << QStringLiteral("of type \"mac\"");
    }

    void tokenAnswer_bearerInAnyCase_and16KiB_areTaken()
    {
        const QString preset = QStringLiteral("sensu");
        for (const QByteArray &body :
             {QByteArray("{\"access_token\":\"a.b-c_d~e+f/g=\",\"token_type\":\"BEARER\"}"),
              QByteArray("{\"access_token\":\"" + QByteArray(16 * 1024, 'a') + "\"}")}) {
            const auto tokens = AuthClient::readTokenAnswer(
                answer(200, body, "application/json"), profileFor(preset), *m_presets.find(preset),
                m_now, m_now, AuthClient::Operation::Refresh);
            QVERIFY2(tokens, tokens ? "" : qPrintable(tokens.error().message()));
        }
    }

    void tokenAnswer_notTokens_isMalformed()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, type);
        QFETCH(QString, says);
        const QString preset = QStringLiteral("sensu");
        const auto tokens = AuthClient::readTokenAnswer(answer(200, body, type), profileFor(preset),
                                                        *m_presets.find(preset), m_now, m_now,
                                                        AuthClient::Operation::Refresh);
        QVERIFY(!tokens);
        QCOMPARE(tokens.error().kind(), Error::Kind::MalformedResponse);
        QVERIFY2(tokens.error().message().contains(says), qPrintable(tokens.error().message()));
        QVERIFY(tokens.error().message().contains(QStringLiteral("Sensu Go at 127.0.0.1:9")));
    }

    void errorAnswer_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<bool>("onRefresh");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("says");

        const int login = int(Error::Kind::LoginRequired);
        const int server = int(Error::Kind::Server);
        const int request = int(Error::Kind::Request);
        const QByteArray json = "application/json";
        const QByteArray text = "text/plain";
        QTest::newRow("sensu wrong password")
            << QStringLiteral("sensu") << false << 401 << QByteArray("Unauthorized") << text
            << login << QStringLiteral("Unauthorized (HTTP 401)");
        QTest::newRow("sensu reused refresh token")
            << QStringLiteral("sensu") << true << 400 << QByteArray("invalid access token") << text
            << login << QStringLiteral("invalid access token");
        QTest::newRow("sensu 500")
            << QStringLiteral("sensu") << true << 500 << QByteArray("internal error") << text
            << server << QStringLiteral("server error");
        QTest::newRow("squirro 404 invalid user token")
            << QStringLiteral("squirro") << true << 404
            << QByteArray(R"({"error":"invalid refresh token"})") << json << login
            << QStringLiteral("invalid refresh token");
        QTest::newRow("squirro 410 revoked")
            << QStringLiteral("squirro") << true << 410 << QByteArray(R"({"error":"revoked"})")
            << json << login << QStringLiteral("HTTP 410");
        QTest::newRow("squirro 400 is not a login problem")
            << QStringLiteral("squirro") << true << 400 << QByteArray("bad request") << text
            << request << QStringLiteral("bad request");
        QTest::newRow("squidex invalid_client shows error_description")
            << QStringLiteral("squidex") << false << 401
            << QByteArray(
                   R"({"error":"invalid_client","error_description":"The specified client credentials are invalid."})")
            << json << login
            << QStringLiteral("The specified client credentials are invalid. (invalid_client)");
        QTest::newRow("squidex invalid_scope needs a profile fix")
            << QStringLiteral("squidex") << false << 400
            << QByteArray(R"({"error":"invalid_scope","error_description":"bad scope"})") << json
            << request << QStringLiteral("Check the profile");
        QTest::newRow("argus 401 message")
            << QStringLiteral("argus") << false << 401
            << QByteArray(R"({"status":401,"message":"Exception: bad creds"})") << json << login
            << QStringLiteral("Exception: bad creds");
        QTest::newRow("oauth invalid_grant on refresh")
            << QStringLiteral("oauth2-refresh-token") << true << 400
            << QByteArray(
                   R"({"error":"invalid_grant","error_description":"grant request is invalid"})")
            << json << login << QStringLiteral("grant request is invalid");
        QTest::newRow("oauth 400 other error is not login")
            << QStringLiteral("oauth2-refresh-token") << true << 400
            << QByteArray(R"({"error":"invalid_request"})") << json << request
            << QStringLiteral("invalid_request");
        QTest::newRow("html error page")
            << QStringLiteral("argus") << true << 502
            << QByteArray("<html><head><title>502 Bad Gateway</title></head></html>")
            << QByteArray("text/html") << server << QStringLiteral("502 Bad Gateway");
        QTest::newRow("429") << QStringLiteral("sensu") << true << 429 << QByteArray() << text
                             << server << QStringLiteral("limiting requests");
        QTest::newRow("binary error body")
            << QStringLiteral("sensu") << true << 503 << QByteArray("\x01\x02\x03\x04", 4) << text
            << server << QStringLiteral("4 bytes that are not text");
    }

    void errorAnswer()
    {
        QFETCH(QString, preset);
        QFETCH(bool, onRefresh);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, type);
        QFETCH(int, kind);
        QFETCH(QString, says);

        const Preset &p = *m_presets.find(preset);
        const PresetRequest &request = onRefresh && p.refresh ? *p.refresh : *p.login;
        const Error error = AuthClient::readErrorAnswer(
            answer(status, body, type), profileFor(preset), p, request, {},
            onRefresh ? AuthClient::Operation::Refresh : AuthClient::Operation::Login);
        QCOMPARE(int(error.kind()), kind);
        QVERIFY2(error.message().contains(says), qPrintable(error.message()));
    }

    void errorAnswer_retryAfter_isKept()
    {
        HttpResponse response = answer(429, R"({"message":"slow down"})");
        response.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("7")});
        const Preset &p = *m_presets.find(QStringLiteral("argus"));
        const Error error = AuthClient::readErrorAnswer(response, profileFor(p.id), p, *p.refresh,
                                                        {}, AuthClient::Operation::Refresh);
        QCOMPARE(error.retryAfterSeconds(), 7);
        QVERIFY(error.isTransient());
    }

    void errorAnswer_echoedSecret_isRedacted()
    {
        Credentials credentials;
        credentials.refreshToken = QStringLiteral("user-token-that-must-not-leak");
        const Preset &p = *m_presets.find(QStringLiteral("squirro"));
        const Error error = AuthClient::readErrorAnswer(
            answer(404, R"({"error":"no such token: user-token-that-must-not-leak"})"),
            profileFor(p.id), p, *p.refresh, credentials, AuthClient::Operation::Refresh);
        QVERIFY(!error.message().contains(credentials.refreshToken));
        QVERIFY(error.message().contains(QStringLiteral("[redacted]")));
    }
};

QTEST_GUILESS_MAIN(TestAuthClient)
#include "tst_authclient.moc"
