#include "refreshscheduler.h"

#include "auth/tokenprovider.h"
#include "core/clock.h"
#include "core/logging.h"
#include "platform/waketimer.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTimer>

namespace tokenkeeper {

namespace {

// A wake-up this much after its time means the machine slept or the clock jumped.
constexpr qint64 lateWakeUpSeconds = 30;

} // namespace

RefreshScheduler::RefreshScheduler(TokenProvider *tokens, WakeTimer *timer, const Clock &clock,
                                   RefreshPolicy policy, Random random, QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_timer(timer)
    , m_clock(clock)
    , m_policy(policy)
    , m_random(std::move(random))
{
    connect(m_tokens, &TokenProvider::renewing, this, &RefreshScheduler::onRenewing);
    connect(m_tokens, &TokenProvider::tokenObtained, this, &RefreshScheduler::onObtained);
    connect(m_tokens, &TokenProvider::tokenFailed, this, &RefreshScheduler::onFailed);
    connect(m_tokens, &TokenProvider::loggedOut, this, &RefreshScheduler::onLoggedOut);
    connect(m_timer, &WakeTimer::fired, this, [this] { onWake(false); });
    connect(m_timer, &WakeTimer::clockChanged, this, [this] { onWake(true); });
}

double RefreshScheduler::random() const
{
    return m_random ? m_random() : QRandomGenerator::global()->generateDouble();
}

void RefreshScheduler::setProfiles(const QList<Profile> &profiles)
{
    QStringList order;
    QStringList added;
    for (const Profile &profile : profiles) {
        order.append(profile.id);
        auto it = m_entries.find(profile.id);
        if (it == m_entries.end()) {
            m_entries.insert(profile.id, Entry {profile, {}, {}, {}});
            added.append(profile.id);
        } else {
            it->profile = profile;
        }
    }
    const QSet<QString> present(order.cbegin(), order.cend());
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        it = present.contains(it.key()) ? std::next(it) : m_entries.erase(it);
    }
    m_order = order;
    Q_EMIT profilesChanged();
    for (const QString &id : added) {
        // Find out what is stored: a valid token, one to renew, or nothing.
        renew(m_entries[id], 0);
    }
    arm();
}

QList<Profile> RefreshScheduler::profiles() const
{
    QList<Profile> list;
    for (const QString &id : m_order) {
        list.append(m_entries.value(id).profile);
    }
    return list;
}

std::optional<Profile> RefreshScheduler::find(const QString &nameOrId) const
{
    for (const QString &id : m_order) {
        if (m_entries.value(id).profile.name == nameOrId) {
            return m_entries.value(id).profile;
        }
    }
    if (m_entries.contains(nameOrId)) {
        return m_entries.value(nameOrId).profile;
    }
    return std::nullopt;
}

std::optional<ProfileStatus> RefreshScheduler::status(const QString &profileId) const
{
    const auto it = m_entries.constFind(profileId);
    return it == m_entries.constEnd() ? std::nullopt : std::optional<ProfileStatus>(it->status);
}

void RefreshScheduler::renew(Entry &entry, int minValidSeconds)
{
    const QString id = entry.profile.id;
    if (m_paused) {
        m_lookWhenResumed.insert(id);
        return;
    }
    entry.due = {};
    if (m_active.contains(id)) {
        // Under way already: its answer serves a look, but a renewal asked for
        // now must not be served by a look that started before it.
        if (minValidSeconds == TokenProvider::forceRenewal) {
            m_renewAfter.insert(id);
        }
        return;
    }
    const auto waiting = std::find_if(m_waiting.begin(), m_waiting.end(),
                                      [&id](const auto &w) { return w.first == id; });
    if (waiting != m_waiting.end()) {
        waiting->second = qMax(waiting->second, minValidSeconds);
        return;
    }
    m_waiting.append({id, minValidSeconds});
    pump();
}

void RefreshScheduler::nextTurn()
{
    m_pumpQueued = false;
    m_startedThisTurn = 0;
    pump();
}

void RefreshScheduler::stop()
{
    m_stopped = true;
    m_waiting.clear();
    m_timer->cancel();
    m_armedFor = {};
}

void RefreshScheduler::setPaused(bool paused)
{
    if (paused == m_paused) {
        return;
    }
    m_paused = paused;
    if (paused) {
        m_waiting.clear();
        m_timer->cancel();
        m_armedFor = {};
        qCInfo(lcAuth) << "background renewals paused until the next use";
        return;
    }
    qCInfo(lcAuth) << "background renewals resumed";
    for (const QString &id : std::exchange(m_lookWhenResumed, {})) {
        if (const auto it = m_entries.find(id); it != m_entries.end()) {
            renew(*it, 0);
        }
    }
    checkDue();
}

void RefreshScheduler::pump()
{
    if (m_stopped || m_paused) {
        m_waiting.clear();
        return;
    }
    // A bounded number at once, started over several turns of the event
    // loop: a thousand profiles due together (after a suspend) neither stall
    // the loop nor pile a thousand requests, each with its own deadline,
    // into the network queue.
    while (!m_waiting.isEmpty() && m_active.size() < maxConcurrentRenewals
           && m_startedThisTurn < renewalsPerTurn) {
        // Named, not a structured binding: clang before 16 cannot capture one.
        const auto waiting = m_waiting.takeFirst();
        const QString id = waiting.first;
        const int minValid = waiting.second;
        const auto it = m_entries.constFind(id);
        if (it == m_entries.constEnd()) {
            continue; // removed meanwhile
        }
        m_active.insert(id);
        ++m_startedThisTurn;
        // Renewals and failures come through the TokenProvider's signals, whoever
        // asked; a token it had in memory already comes only in this answer.
        m_tokens->token(it->profile, minValid, this, [this, id](const Result<TokenSet> &result) {
            m_active.remove(id);
            const auto entry = m_entries.constFind(id);
            if (result && entry != m_entries.constEnd()
                && (entry->status.state != ProfileStatus::State::Valid
                    || entry->status.validUntil != result->expiresAt)) {
                onObtained(id, *result);
            }
            if (m_renewAfter.remove(id)) {
                if (const auto again = m_entries.find(id); again != m_entries.end()) {
                    renew(*again, TokenProvider::forceRenewal);
                }
            }
            pump();
        });
    }
    // The next turn of the event loop starts the next few.
    if (m_startedThisTurn > 0 && !m_pumpQueued) {
        m_pumpQueued = true;
        QTimer::singleShot(0, this, &RefreshScheduler::nextTurn);
    }
}

void RefreshScheduler::checkDue()
{
    if (m_paused) {
        return; // resuming looks at every due time
    }
    const QDateTime now = m_clock.now();
    for (const QString &id : m_order) {
        Entry &entry = m_entries[id];
        if (entry.due.isValid() && entry.due <= now
            && entry.status.state != ProfileStatus::State::Refreshing) {
            renew(entry, TokenProvider::forceRenewal);
        }
    }
    arm();
}

void RefreshScheduler::recheck(const QString &profileId)
{
    const auto it = m_entries.find(profileId);
    if (it != m_entries.end()) {
        renew(*it, 0);
        arm();
    }
}

void RefreshScheduler::refreshNow(const QString &profileId)
{
    const auto it = m_entries.find(profileId);
    if (it == m_entries.end() || it->status.state == ProfileStatus::State::Refreshing) {
        return;
    }
    if (m_paused) {
        // A user's: the token service hears it as a use (its result comes
        // back through its signals).
        m_tokens->token(it->profile, TokenProvider::forceRenewal, this, [](Result<TokenSet>) {});
        return;
    }
    renew(*it, TokenProvider::forceRenewal);
    arm();
}

void RefreshScheduler::networkReachable()
{
    const QDateTime now = m_clock.now();
    for (Entry &entry : m_entries) {
        if (entry.status.state == ProfileStatus::State::BackingOff) {
            entry.due = now;
        }
    }
    checkDue();
}

void RefreshScheduler::setKeychainWritePending(const QString &profileId, bool pending)
{
    const auto it = m_entries.find(profileId);
    if (it != m_entries.end() && it->status.keychainWritePending != pending) {
        it->status.keychainWritePending = pending;
        Q_EMIT statusChanged(profileId);
    }
}

void RefreshScheduler::onRenewing(const QString &profileId)
{
    const auto it = m_entries.find(profileId);
    if (it == m_entries.end()) {
        return;
    }
    it->status.state = ProfileStatus::State::Refreshing;
    it->due = {};
    Q_EMIT statusChanged(profileId);
}

void RefreshScheduler::onObtained(const QString &profileId, const TokenSet &tokens)
{
    const auto it = m_entries.find(profileId);
    if (it == m_entries.end()) {
        return;
    }
    const QDateTime now = m_clock.now();
    ProfileStatus &status = it->status;
    const bool fresh = tokens.obtainedAt.isValid();
    status.state = ProfileStatus::State::Valid;
    status.validUntil = tokens.expiresAt;
    status.obtainedAt = fresh ? tokens.obtainedAt : status.obtainedAt;
    if (fresh) {
        status.lastRefresh = tokens.obtainedAt;
    }
    status.failures = 0;
    status.reason.clear();
    // A token kept from before (Sensu's, in the keychain) has no known issue
    // time: its lifetime counts from now.
    it->since = status.obtainedAt.isValid() ? status.obtainedAt : now;
    scheduleAhead(*it);
    Q_EMIT statusChanged(profileId);
    arm();
}

void RefreshScheduler::scheduleAhead(Entry &entry)
{
    const ProfileStatus &status = entry.status;
    const qint64 lifetime = qMax<qint64>(0, entry.since.secsTo(status.validUntil));
    const qint64 lead = m_policy.leadSeconds(lifetime);
    entry.due = status.validUntil.addSecs(-lead - m_policy.jitterSeconds(lead, random()));
    entry.status.nextRefresh = entry.due;
}

void RefreshScheduler::setPolicy(const RefreshPolicy &policy)
{
    m_policy = policy;
    // The new lead counts at once for every token that waits for its renewal.
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (it->status.state == ProfileStatus::State::Valid && it->due.isValid()) {
            scheduleAhead(*it);
            Q_EMIT statusChanged(it.key());
        }
    }
    arm();
}

void RefreshScheduler::onFailed(const QString &profileId, const Error &error)
{
    const auto it = m_entries.find(profileId);
    if (it == m_entries.end()) {
        return;
    }
    ProfileStatus &status = it->status;
    status.lastError = error;
    switch (error.kind()) {
    case Error::Kind::NotLoggedIn:
        status = ProfileStatus();
        it->due = {};
        break;
    case Error::Kind::LoginRequired:
        // Once, with the server's reason; no more tries until the user logs in.
        status.state = ProfileStatus::State::LoginRequired;
        status.reason = error.message();
        status.nextRefresh = {};
        status.failures = 0;
        it->due = {};
        qCInfo(lcAuth) << "profile" << it->profile.name << "needs a login";
        break;
    default: {
        // Passing trouble (network, server, keychain) backs off exponentially; an
        // answer that will not change by itself (a refused request, garbage)
        // waits the longest back-off at once: visible, and no tight loop.
        ++status.failures;
        const bool passing = error.isTransient() || error.kind() == Error::Kind::Keychain;
        const qint64 delay = passing
            ? m_policy.backoffSeconds(status.failures, error.retryAfterSeconds(), random())
            : qint64(m_policy.backoffCapSeconds);
        status.state = ProfileStatus::State::BackingOff;
        status.reason = error.message();
        it->due = m_clock.now().addSecs(delay);
        status.nextRefresh = it->due;
        qCInfo(lcAuth) << "profile" << it->profile.name << "backs off" << delay << "s after"
                       << Error::kindName(error.kind());
        break;
    }
    }
    Q_EMIT statusChanged(profileId);
    arm();
}

void RefreshScheduler::onLoggedOut(const QString &profileId)
{
    const auto it = m_entries.find(profileId);
    if (it == m_entries.end()) {
        return;
    }
    it->status = ProfileStatus();
    it->due = {};
    Q_EMIT statusChanged(profileId);
    arm();
}

void RefreshScheduler::onWake(bool clockChanged)
{
    const QDateTime now = m_clock.now();
    if (clockChanged) {
        qCInfo(lcAuth) << "the wall clock changed: re-checking every profile";
    } else if (m_armedFor.isValid() && m_armedFor.secsTo(now) > lateWakeUpSeconds) {
        qCInfo(lcAuth) << "woke" << m_armedFor.secsTo(now)
                       << "s late (suspend?): re-checking every profile";
    }
    // Due times are wall-clock times, so one pass over every profile covers
    // a late wake-up and a jump of the clock alike.
    m_armedFor = {};
    checkDue();
}

void RefreshScheduler::arm()
{
    if (m_stopped || m_paused) {
        return;
    }
    QDateTime earliest;
    for (const Entry &entry : std::as_const(m_entries)) {
        if (entry.due.isValid() && entry.status.state != ProfileStatus::State::Refreshing
            && (!earliest.isValid() || entry.due < earliest)) {
            earliest = entry.due;
        }
    }
    if (earliest == m_armedFor) {
        return;
    }
    m_armedFor = earliest;
    if (earliest.isValid()) {
        m_timer->wakeAt(earliest);
    } else {
        m_timer->cancel();
    }
}

} // namespace tokenkeeper
