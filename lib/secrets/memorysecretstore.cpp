#include "memorysecretstore.h"

#include <QTimer>

namespace tokenkeeper {

MemorySecretStore::MemorySecretStore(QObject *parent)
    : SecretStore(parent)
{ }

void MemorySecretStore::read(const QString &key, QObject *context, ReadDone done)
{
    std::optional<QByteArray> value;
    if (m_secrets.contains(key)) {
        value = m_secrets.value(key);
    }
    QTimer::singleShot(0, context, [done = std::move(done), value] { done(value); });
}

void MemorySecretStore::write(const QString &key, const QByteArray &secret, QObject *context,
                              Done done)
{
    if (m_failWrites) {
        QTimer::singleShot(0, context, [done = std::move(done)] {
            done(Error(Error::Kind::Keychain, QStringLiteral("Keychain error: writes fail")));
        });
        return;
    }
    m_secrets.insert(key, secret);
    QTimer::singleShot(0, context, [done = std::move(done)] { done({}); });
}

void MemorySecretStore::remove(const QString &key, QObject *context, Done done)
{
    m_secrets.remove(key);
    QTimer::singleShot(0, context, [done = std::move(done)] { done({}); });
}

} // namespace tokenkeeper
