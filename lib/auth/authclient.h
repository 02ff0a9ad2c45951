#pragma once

#include "credentials.h"
#include "preset.h"
#include "profiles/profile.h"

#include <QObject>

#include <functional>

namespace tokenkeeper {

class Clock;
class HttpClient;
struct HttpResponse;

// Speaks one preset's login protocol: builds the request the preset describes
// for a profile and its credentials, sends it, and reads the answer.
//
//   login  : the preset's login request (or, for a pasted refresh/user token,
//            its refresh request) with the secret the user typed
//   refresh: the preset's refresh request, or its login request again when
//            the preset has no refresh token (Squidex, client credentials)
//   logout : ends the server session (Sensu); test: checks the credentials
//
// Every answer is read in one order: network error -> HTTP status -> content
// type -> JSON -> fields -> lifetime. Each failure is one Error whose message
// carries the server's words with any of our secrets cut out.
class AuthClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuthClient)

public:
    enum class Operation { Login, Refresh, Logout, Test };
    using TokenDone = std::function<void(Result<TokenSet>)>;
    using Done = std::function<void(Result<void>)>;

    AuthClient(HttpClient *http, const Clock &clock, QObject *parent = nullptr);
    ~AuthClient() override = default;

    void login(const Profile &profile, const Preset &preset, const Credentials &credentials,
               QObject *context, TokenDone done);
    void refresh(const Profile &profile, const Preset &preset, const Credentials &credentials,
                 QObject *context, TokenDone done);
    void logout(const Profile &profile, const Preset &preset, const Credentials &credentials,
                QObject *context, Done done);
    void test(const Profile &profile, const Preset &preset, const Credentials &credentials,
              QObject *context, Done done);

    // Exposed for tests of the protocol reading.
    // `sentAt` and `receivedAt` bracket the exchange, for the server's clock skew.
    static Result<TokenSet> readTokenAnswer(const HttpResponse &response, const Profile &profile,
                                            const Preset &preset, const QDateTime &sentAt,
                                            const QDateTime &receivedAt, Operation operation);
    static Error readErrorAnswer(const HttpResponse &response, const Profile &profile,
                                 const Preset &preset, const PresetRequest &request,
                                 const Credentials &credentials, Operation operation);

private:
    // A request whose answer carries tokens.
    void exchange(Operation operation, const PresetRequest &request, const Profile &profile,
                  const Preset &preset, const Credentials &credentials, QObject *context,
                  TokenDone done);
    // A request whose answer is only success or failure.
    void call(Operation operation, const PresetRequest &request, const Profile &profile,
              const Preset &preset, const Credentials &credentials, QObject *context, Done done);
    void send(Operation operation, const PresetRequest &request, const Profile &profile,
              const Preset &preset, const Credentials &credentials, QObject *context,
              std::function<void(Result<HttpResponse>)> done);

    HttpClient *m_http;
    const Clock &m_clock;
};

} // namespace tokenkeeper
