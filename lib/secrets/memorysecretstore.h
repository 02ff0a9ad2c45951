#pragma once

#include "secretstore.h"

#include <QHash>

namespace tokenkeeper {

// Secrets in a hash, answered on the next event-loop turn like a real
// keychain: for unit tests of pure logic, and for the desktop app's
// memory-only mode the user chooses when there is no keychain (secrets then
// live until the app quits and are never written anywhere). It can also be
// told to fail.
class MemorySecretStore final : public SecretStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemorySecretStore)

public:
    explicit MemorySecretStore(QObject *parent = nullptr);
    ~MemorySecretStore() override = default;

    void read(const QString &key, QObject *context, ReadDone done) override;
    void write(const QString &key, const QByteArray &secret, QObject *context, Done done) override;
    void remove(const QString &key, QObject *context, Done done) override;

    void setFailWrites(bool fail) { m_failWrites = fail; }
    const QHash<QString, QByteArray> &contents() const { return m_secrets; }

private:
    QHash<QString, QByteArray> m_secrets;
    bool m_failWrites = false;
};

} // namespace tokenkeeper
