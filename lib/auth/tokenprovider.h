#pragma once

#include "credentials.h"
#include "profiles/profile.h"

#include <QObject>

#include <functional>
#include <limits>

namespace tokenkeeper {

// Whoever hands out access tokens: the TokenService of this process (the
// agent, the desktop app, the command line working alone), or the user's
// running agent over its socket (request/agenttokenprovider.h). The refresh
// scheduler, the request tester and the window all ask through this one
// interface, and hear of every token obtained and every renewal that failed,
// whoever asked.
class TokenProvider : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenProvider)

public:
    using TokenDone = std::function<void(Result<TokenSet>)>;
    using Done = TokenDone;
    // As minValidSeconds: a new token, whatever the one in hand is worth.
    static constexpr int forceRenewal = std::numeric_limits<int>::max();

    explicit TokenProvider(QObject *parent = nullptr)
        : QObject(parent)
    { }
    ~TokenProvider() override = default;

    // A token valid for at least `minValidSeconds` more.
    virtual void token(const Profile &profile, int minValidSeconds, QObject *context,
                       TokenDone done) = 0;
    // The server refused `rejectedToken` with a 401: one renewal, shared with
    // whoever else reports the same token meanwhile.
    virtual void renewRejected(const Profile &profile, const QString &rejectedToken,
                               QObject *context, TokenDone done) = 0;
    // Who renews, for the request tester's timeline: "Tokenkeeper", "the agent".
    virtual QString name() const = 0;

Q_SIGNALS:
    void renewing(const QString &profileId);
    void tokenObtained(const QString &profileId, const tokenkeeper::TokenSet &tokens);
    void tokenFailed(const QString &profileId, const tokenkeeper::Error &error);
    void loggedOut(const QString &profileId);
};

} // namespace tokenkeeper
