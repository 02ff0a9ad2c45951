#pragma once

#include "credentials.h"
#include "profiles/profile.h"

#include <QObject>

#include <functional>
#include <limits>

namespace tokenkeeper {

// What the refresh scheduler needs of whoever renews tokens: a token valid
// for at least some seconds more (a huge number forces a renewal), and news
// of every token obtained and every renewal that failed, whoever asked.
class TokenSource : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenSource)

public:
    using TokenDone = std::function<void(Result<TokenSet>)>;
    static constexpr int forceRenewal = std::numeric_limits<int>::max();

    explicit TokenSource(QObject *parent = nullptr)
        : QObject(parent)
    { }
    ~TokenSource() override = default;

    virtual void token(const Profile &profile, int minValidSeconds, QObject *context,
                       TokenDone done) = 0;

Q_SIGNALS:
    void renewing(const QString &profileId);
    void tokenObtained(const QString &profileId, const tokenkeeper::TokenSet &tokens);
    void tokenFailed(const QString &profileId, const tokenkeeper::Error &error);
    void loggedOut(const QString &profileId);
};

} // namespace tokenkeeper
