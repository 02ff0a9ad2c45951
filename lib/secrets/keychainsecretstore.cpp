#include "keychainsecretstore.h"

#include "core/logging.h"

#include <QTimer>
#include <qt6keychain/keychain.h>

#include <memory>

namespace tokenkeeper {

namespace {

constexpr int backendRetryDelayMs = 400;

Error keychainError(QKeychain::Error code, const QString &detail)
{
    switch (code) {
    case QKeychain::NoBackendAvailable:
        return {Error::Kind::Keychain,
                QStringLiteral("No OS keychain is available (%1). Tokenkeeper keeps secrets only "
                               "in the keychain: on Linux start a Secret Service such as "
                               "gnome-keyring or KWallet in your session, then try again.")
                    .arg(detail)};
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return {Error::Kind::Keychain,
                QStringLiteral("The keychain refused access (%1). Unlock it and try again.")
                    .arg(detail)};
    default:
        return {Error::Kind::Keychain, QStringLiteral("Keychain error: %1").arg(detail)};
    }
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service, int timeoutMs, QObject *parent)
    : SecretStore(parent)
    , m_service(std::move(service))
    , m_timeoutMs(timeoutMs)
{ }

void KeychainSecretStore::read(const QString &key, QObject *context, ReadDone done)
{
    run(Op::Read, key, {}, context, std::move(done), 0);
}

void KeychainSecretStore::write(const QString &key, const QByteArray &secret, QObject *context,
                                Done done)
{
    run(
        Op::Write, key, secret, context,
        [done = std::move(done)](Result<std::optional<QByteArray>> result) {
            done(result ? Result<void>() : Result<void>(result.error()));
        },
        0);
}

void KeychainSecretStore::remove(const QString &key, QObject *context, Done done)
{
    run(
        Op::Remove, key, {}, context,
        [done = std::move(done)](Result<std::optional<QByteArray>> result) {
            done(result ? Result<void>() : Result<void>(result.error()));
        },
        0);
}

void KeychainSecretStore::run(Op op, const QString &key, const QByteArray &secret, QObject *context,
                              Answer answer, int attempt)
{
    if (!m_stuckUntil.hasExpired()) {
        QTimer::singleShot(0, context, [answer] {
            answer(Error(Error::Kind::Keychain,
                         QStringLiteral("The keychain stopped answering a moment ago. It may be "
                                        "locked and waiting for its password: unlock it and try "
                                        "again.")));
        });
        return;
    }
    QKeychain::Job *job = nullptr;
    switch (op) {
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Op::Write: {
        auto *write = new QKeychain::WritePasswordJob(m_service);
        write->setBinaryData(secret);
        job = write;
        break;
    }
    case Op::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);

    // Whichever comes first, the job's answer or the deadline, answers.
    auto answered = std::make_shared<bool>(false);
    auto *deadline = new QTimer(context);
    deadline->setSingleShot(true);
    QObject::connect(deadline, &QTimer::timeout, context, [=, this] {
        deadline->deleteLater();
        if (*answered) {
            return;
        }
        *answered = true;
        m_stuckUntil.setRemainingTime(stuckBackoffMs);
        qCWarning(lcSecrets) << "keychain call timed out after" << m_timeoutMs << "ms";
        answer(Error(Error::Kind::Keychain,
                     QStringLiteral("The keychain did not answer within %1 s. It may be locked "
                                    "and waiting for its password: unlock it and try again.")
                         .arg(m_timeoutMs / 1000.0, 0, 'g', 3)));
    });
    deadline->start(m_timeoutMs);

    QObject::connect(job, &QKeychain::Job::finished, context, [=, this](QKeychain::Job *done) {
        if (*answered) {
            return;
        }
        deadline->stop();
        deadline->deleteLater();
        *answered = true;
        const QKeychain::Error code = done->error();
        if (code == QKeychain::NoError) {
            if (op == Op::Read) {
                answer(std::optional<QByteArray>(
                    static_cast<QKeychain::ReadPasswordJob *>(done)->binaryData()));
            } else {
                answer(std::optional<QByteArray>());
            }
            return;
        }
        if (code == QKeychain::EntryNotFound) {
            answer(std::optional<QByteArray>()); // absent: normal for read and remove
            return;
        }
        if (code == QKeychain::NoBackendAvailable && attempt == 0) {
            qCInfo(lcSecrets) << "no keychain backend yet; retrying once";
            QTimer::singleShot(backendRetryDelayMs, context,
                               [=, this] { run(op, key, secret, context, answer, attempt + 1); });
            return;
        }
        qCWarning(lcSecrets) << "keychain error" << code;
        answer(keychainError(code, done->errorString()));
    });
    job->start();
}

} // namespace tokenkeeper
