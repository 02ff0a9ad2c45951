#pragma once

// Small fakes of the engine's seams for tests that must not sleep or touch
// the network: a wake timer the test fires, a token source the test answers.
#include "auth/tokenprovider.h"
#include "platform/waketimer.h"

#include <QDateTime>
#include <QList>
#include <QPointer>

#include <algorithm>

namespace tokenkeeper::test {

class ManualWakeTimer final : public WakeTimer
{
public:
    void wakeAt(const QDateTime &when) override
    {
        armedFor = when;
        ++armings;
    }
    void cancel() override { armedFor = {}; }
    void fire() { Q_EMIT fired(); }
    void clockJumped() { Q_EMIT clockChanged(); }

    QDateTime armedFor;
    int armings = 0;
};

// Records what is asked of it; the test answers with succeed() or failWith().
class FakeTokenProvider final : public TokenProvider
{
public:
    struct Ask
    {
        QString profileId;
        int minValid;
    };

    void token(const Profile &profile, int minValidSeconds, QObject *context,
               TokenDone done) override
    {
        asks.append({profile.id, minValidSeconds});
        pending.append({profile.id, QPointer<QObject>(context), std::move(done)});
        Q_EMIT renewing(profile.id);
    }

    // A 401: a forced renewal, as the token service does.
    void renewRejected(const Profile &profile, const QString &, QObject *context,
                       TokenDone done) override
    {
        token(profile, forceRenewal, context, std::move(done));
    }
    QString name() const override { return QStringLiteral("the fake"); }

    // Announces the outcome, then answers everybody waiting for that profile.
    void succeed(const QString &id, const QDateTime &obtained, qint64 lifetime)
    {
        TokenSet tokens;
        tokens.accessToken = QStringLiteral("t-") + id;
        tokens.obtainedAt = obtained;
        tokens.expiresAt = obtained.addSecs(lifetime);
        Q_EMIT tokenObtained(id, tokens);
        answer(id, tokens);
    }
    void failWith(const QString &id, const Error &error)
    {
        Q_EMIT tokenFailed(id, error);
        answer(id, error);
    }
    void logOut(const QString &id) { Q_EMIT loggedOut(id); }

    int asksFor(const QString &id) const
    {
        return int(std::count_if(asks.cbegin(), asks.cend(),
                                 [&id](const Ask &ask) { return ask.profileId == id; }));
    }

    bool isWaiting(const QString &id) const
    {
        return std::any_of(pending.cbegin(), pending.cend(),
                           [&id](const Waiter &waiter) { return waiter.profileId == id; });
    }

    QList<Ask> asks;

private:
    struct Waiter
    {
        QString profileId;
        QPointer<QObject> context;
        TokenDone done;
    };

    void answer(const QString &id, const Result<TokenSet> &result)
    {
        QList<Waiter> answered;
        for (auto it = pending.begin(); it != pending.end();) {
            if (it->profileId == id) {
                answered.append(std::move(*it));
                it = pending.erase(it);
            } else {
                ++it;
            }
        }
        for (const Waiter &waiter : std::as_const(answered)) {
            if (waiter.context && waiter.done) {
                waiter.done(result);
            }
        }
    }

    QList<Waiter> pending;
};

} // namespace tokenkeeper::test
