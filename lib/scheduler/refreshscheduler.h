#pragma once

#include "profiles/profile.h"
#include "profilestatus.h"
#include "refreshpolicy.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>
#include <optional>

namespace tokenkeeper {

class Clock;
class TokenProvider;
class WakeTimer;
struct TokenSet;

// Keeps every profile's token fresh ahead of expiry.
//
//   one WakeTimer, armed for the earliest due renewal across all profiles
//        |
//   fired / clock changed / network back
//        v
//   every profile whose due time has come: TokenProvider::token(force)
//        |                                     (one renewal in flight per
//        v                                      profile: TokenService)
//   tokenObtained -> Valid, due = expiry - lead - jitter
//   tokenFailed   -> NotLoggedIn: LoggedOut; LoginRequired: stop, keep the reason;
//                    anything else: BackingOff, due = now + back-off (Retry-After honoured)
//
// Due times are wall-clock times: a late wake-up (suspend) or a clock jump
// re-evaluates every profile at once, and nothing wakes up while nothing is due.
//
// Paused (the token service is locked), it starts no renewal and arms no
// wake-up: looks asked for meanwhile (a new profile, a reload) wait for the
// resume, which also renews whatever fell due meanwhile. refreshNow() is a
// user's: it asks the token service at once, paused or not.
class RefreshScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RefreshScheduler)

public:
    using Random = std::function<double()>; // in [0, 1)
    static constexpr int maxConcurrentRenewals = 32;
    static constexpr int renewalsPerTurn = 8;

    RefreshScheduler(TokenProvider *tokens, WakeTimer *timer, const Clock &clock,
                     RefreshPolicy policy = {}, Random random = {}, QObject *parent = nullptr);
    ~RefreshScheduler() override = default;

    // Adds, updates and removes profiles; new ones are looked at once.
    void setProfiles(const QList<Profile> &profiles);
    QList<Profile> profiles() const;
    std::optional<Profile> find(const QString &nameOrId) const;
    std::optional<ProfileStatus> status(const QString &profileId) const;

    // Takes effect at once: every scheduled renewal is computed again.
    void setPolicy(const RefreshPolicy &policy);
    const RefreshPolicy &policy() const { return m_policy; }

    // The earliest due renewal, or invalid when nothing is due.
    QDateTime nextWakeUp() const { return m_armedFor; }

    // Renews every profile whose due time has come (also what a wake-up does).
    void checkDue();
    // Looks at one profile now: renews it if it needs to be (login, reload).
    void recheck(const QString &profileId);
    // Renews one profile now, whatever its due time.
    void refreshNow(const QString &profileId);
    // The network is back: retry at once whatever is backing off.
    void networkReachable();
    // A keychain write of a rotated token is pending or recovered.
    void setKeychainWritePending(const QString &profileId, bool pending);
    // Shutting down: starts no renewal from now on (those under way finish).
    void stop();
    // Locked: no renewal in the background until resumed (see above).
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }

Q_SIGNALS:
    void statusChanged(const QString &profileId);
    // Profiles were added, removed, renamed or reordered (setProfiles).
    void profilesChanged();

private:
    struct Entry
    {
        Profile profile;
        ProfileStatus status;
        QDateTime due; // invalid: nothing scheduled
        QDateTime since; // what the token's lifetime counts from
    };

    void renew(Entry &entry, int minValidSeconds);
    void scheduleAhead(Entry &entry); // due = expiry - lead - jitter
    void pump();
    void nextTurn();
    void onRenewing(const QString &profileId);
    void onObtained(const QString &profileId, const TokenSet &tokens);
    void onFailed(const QString &profileId, const Error &error);
    void onLoggedOut(const QString &profileId);
    void onWake(bool clockChanged);
    void arm();
    double random() const;

    TokenProvider *m_tokens;
    WakeTimer *m_timer;
    const Clock &m_clock;
    RefreshPolicy m_policy;
    Random m_random;
    QHash<QString, Entry> m_entries;
    QStringList m_order; // profile ids in the order given
    QList<std::pair<QString, int>> m_waiting; // renewals to start: profile id, min-valid
    QSet<QString> m_active; // renewals under way
    QSet<QString> m_renewAfter; // asked to renew while a look was under way
    QSet<QString> m_lookWhenResumed; // asked to look while paused
    bool m_pumpQueued = false;
    bool m_stopped = false;
    bool m_paused = false;
    int m_startedThisTurn = 0;
    QDateTime m_armedFor;
};

} // namespace tokenkeeper
