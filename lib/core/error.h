#pragma once

#include <QString>

#include <optional>

namespace tokenkeeper {

// Every failure in the engine is one Error value: what kind of failure it is
// (which decides what the caller does next) and a message a person can act on.
// The message may carry the server's own words but never a secret.
class Error final
{
public:
    enum class Kind {
        Usage, // the caller asked for something impossible (bad profile, bad input)
        Network, // no answer: refused, dropped, timed out, host unknown
        Tls, // the TLS handshake or certificate failed
        NotLoggedIn, // nothing stored for the profile: log in
        LoginRequired, // the server rejected the credentials: log in again
        Server, // the server failed for now (5xx, 429): try again later
        Request, // the server refused the request as made (a 4xx not about credentials)
        MalformedResponse, // the server answered, but not what the protocol says
        Keychain, // the OS keychain is absent, locked or failed
        Storage, // the profile file cannot be read or written
    };

    Error(Kind kind, QString message)
        : m_kind(kind)
        , m_message(std::move(message))
    { }

    Kind kind() const { return m_kind; }
    const QString &message() const { return m_message; }

    // Seconds the server asked us to wait (429/503 Retry-After), or -1.
    int retryAfterSeconds() const { return m_retryAfter; }
    Error &setRetryAfterSeconds(int seconds)
    {
        m_retryAfter = seconds;
        return *this;
    }

    // The request reached the server (it was sent in full) but its answer
    // was lost: dropped, cut or too late. The server may have acted on it;
    // a refresh token it carried may be spent.
    bool answerLost() const { return m_answerLost; }
    Error &setAnswerLost(bool lost)
    {
        m_answerLost = lost;
        return *this;
    }

    // A transient failure is worth retrying later; the others are not.
    bool isTransient() const;

    static QString kindName(Kind kind);
    static std::optional<Kind> kindFromName(const QString &name);

private:
    Kind m_kind;
    QString m_message;
    int m_retryAfter = -1;
    bool m_answerLost = false;
};

} // namespace tokenkeeper
