#include "unsavedcredentials.h"

#include "secrets/secretstore.h"
#include "tokenservice.h"

#include <QPointer>
#include <QTimer>

#include <memory>

namespace tokenkeeper {

UnsavedCredentials::UnsavedCredentials(SecretStore *secrets, QObject *parent)
    : QObject(parent)
    , m_secrets(secrets)
{ }

void UnsavedCredentials::keep(const QString &profileId, const Credentials &credentials)
{
    m_pending.insert(profileId, credentials);
    retryLater(profileId, 1);
}

std::optional<Credentials> UnsavedCredentials::of(const QString &profileId) const
{
    const auto it = m_pending.constFind(profileId);
    return it == m_pending.constEnd() ? std::nullopt : std::optional<Credentials>(*it);
}

void UnsavedCredentials::write(const QString &profileId, std::function<void(bool saved)> then)
{
    const auto locked = [this, profileId, then](Result<ProfileLocks::Lease> lease) {
        const auto pendingNow = m_pending.constFind(profileId);
        if (!lease || pendingNow == m_pending.constEnd()) {
            // Dropped while we waited: a login or forget wrote after it.
            then(lease.ok());
            return;
        }
        const Credentials pending = *pendingNow;
        m_secrets->write(
            TokenService::secretKey(profileId), pending.toJson(), this,
            [this, profileId, pending, then, held = lease.value()](Result<void> written) {
                const auto now = m_pending.constFind(profileId);
                if (now == m_pending.constEnd() || !(*now == pending)) {
                    then(true); // superseded: nothing of this is pending any more
                    return;
                }
                if (written) {
                    m_pending.remove(profileId);
                    Q_EMIT writeRecovered(profileId);
                } else {
                    Q_EMIT writeFailed(profileId, written.error());
                }
                then(bool(written));
            });
    };
    ProfileLocks::acquireIfLocking(m_locks, profileId, profileId, this, locked);
}

void UnsavedCredentials::retryLater(const QString &profileId, int attempt)
{
    constexpr int firstDelayMs = 2'000;
    constexpr int maxDelayMs = 300'000;
    const int delay = int(qMin<qint64>(maxDelayMs, qint64(firstDelayMs) << qMin(attempt - 1, 10)));
    const Credentials waiting = m_pending.value(profileId);
    QTimer::singleShot(delay, this, [this, profileId, attempt, waiting] {
        const auto now = m_pending.constFind(profileId);
        if (now == m_pending.constEnd() || !(*now == waiting)) {
            return; // written meanwhile, replaced (and retried on its own), or dropped
        }
        write(profileId, [this, profileId, attempt](bool saved) {
            if (!saved) {
                retryLater(profileId, attempt + 1);
            }
        });
    });
}

void UnsavedCredentials::saveAll(QObject *context, std::function<void(QStringList)> done)
{
    const QStringList pending = m_pending.keys();
    const QPointer<QObject> guard(context);
    if (pending.isEmpty()) {
        QTimer::singleShot(0, context, [done] { done({}); });
        return;
    }
    auto left = std::make_shared<qsizetype>(pending.size());
    auto failed = std::make_shared<QStringList>();
    for (const QString &id : pending) {
        write(id, [id, left, failed, guard, done](bool saved) {
            if (!saved) {
                failed->append(id);
            }
            if (--*left == 0 && guard) {
                done(*failed);
            }
        });
    }
}

} // namespace tokenkeeper
