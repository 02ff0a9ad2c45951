#pragma once

#include "auth/credentials.h"
#include "core/result.h"

#include <QString>

#include <functional>

class QObject;

namespace tokenkeeper {

struct Profile;

// Where the request tester gets a profile's access token: the token service
// in this process (the desktop app hosts the agent; the command line alone),
// or the user's running agent over its socket (the command line).
class TokenProvider
{
public:
    using Done = std::function<void(Result<TokenSet>)>;

    virtual ~TokenProvider() = default;

    // A token valid for at least `minValidSeconds` more.
    virtual void token(const Profile &profile, int minValidSeconds, QObject *context,
                       Done done) = 0;
    // The server refused `rejectedToken` with a 401: one renewal, shared with
    // whoever else reports the same token meanwhile.
    virtual void renewRejected(const Profile &profile, const QString &rejectedToken,
                               QObject *context, Done done) = 0;
    // Who renews, for the timeline: "the agent", "Tokenkeeper".
    virtual QString name() const = 0;

protected:
    TokenProvider() = default;
    Q_DISABLE_COPY_MOVE(TokenProvider)
};

} // namespace tokenkeeper
