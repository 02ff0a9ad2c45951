#pragma once

#include "core/error.h"
#include "credentials.h"
#include "secrets/profilelocks.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <optional>

namespace tokenkeeper {

class SecretStore;

// Credentials the keychain refused to store, held in memory as the newest
// (a long-lived process only: the old refresh token in the keychain must
// never be used while a newer one is pending) and written again with
// back-off until the keychain takes them, something newer replaces them or
// they are dropped:
//
//   keep(id, c) --(2 s, 4 s, ... 5 min)--> write --ok--> writeRecovered(id)
//                        ^                    `--refused--> writeFailed(id)
//                        `------------------------------------'
//   saveAll() (shutdown): one more write of each, now
//
// Each write holds the profile's lock (with profile locks) and writes what
// is pending then: a login or forget meanwhile dropped it, and nothing of it
// comes back.
class UnsavedCredentials final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UnsavedCredentials)

public:
    explicit UnsavedCredentials(SecretStore *secrets, QObject *parent = nullptr);
    ~UnsavedCredentials() override = default;

    void setSecretStore(SecretStore *secrets) { m_secrets = secrets; }
    void setProfileLocks(ProfileLocks *locks) { m_locks = locks; }

    // Keeps `credentials` as the newest of the profile and retries the write.
    void keep(const QString &profileId, const Credentials &credentials);
    std::optional<Credentials> of(const QString &profileId) const;
    bool has(const QString &profileId) const { return m_pending.contains(profileId); }
    QStringList profileIds() const { return m_pending.keys(); }
    // Written meanwhile, replaced by a login, or forgotten.
    void drop(const QString &profileId) { m_pending.remove(profileId); }
    // One more write of every one (shutdown); `done` hears which are still unsaved.
    void saveAll(QObject *context, std::function<void(QStringList)> done);

Q_SIGNALS:
    void writeFailed(const QString &profileId, const tokenkeeper::Error &error);
    void writeRecovered(const QString &profileId);

private:
    // Writes what is pending for the profile; `then` hears whether it is
    // saved now (true also when it was superseded meanwhile).
    void write(const QString &profileId, std::function<void(bool saved)> then);
    void retryLater(const QString &profileId, int attempt);

    SecretStore *m_secrets;
    ProfileLocks *m_locks = nullptr;
    QHash<QString, Credentials> m_pending;
};

} // namespace tokenkeeper
