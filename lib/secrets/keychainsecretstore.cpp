#include "keychainsecretstore.h"

#include "core/logging.h"
#include "keyringlock.h"

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
        return {Error::Kind::Keychain,
                QStringLiteral("The OS keychain could not be used (%1). Tokenkeeper keeps "
                               "secrets only in the keychain: check that a Secret Service such "
                               "as gnome-keyring or KWallet runs in your session and is "
                               "unlocked, then try again.")
                    .arg(detail)};
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
    enqueue({Op::Read, key, {}, context, std::move(done)});
}

void KeychainSecretStore::write(const QString &key, const QByteArray &secret, QObject *context,
                                Done done)
{
    enqueue({Op::Write, key, secret, context,
             [done = std::move(done)](Result<std::optional<QByteArray>> result) {
                 done(result ? Result<void>() : Result<void>(result.error()));
             }});
}

void KeychainSecretStore::remove(const QString &key, QObject *context, Done done)
{
    enqueue({Op::Remove,
             key,
             {},
             context,
             [done = std::move(done)](Result<std::optional<QByteArray>> result) {
                 done(result ? Result<void>() : Result<void>(result.error()));
             }});
}

void KeychainSecretStore::enqueue(Call call)
{
    m_queue.append(std::move(call));
    // Answer on a later turn of the event loop, never inside the caller.
    QTimer::singleShot(0, this, &KeychainSecretStore::pump);
}

void KeychainSecretStore::pump()
{
    while (!m_running && !m_queue.isEmpty()) {
        Call call = m_queue.takeFirst();
        if (!call.context) {
            continue; // the caller is gone
        }
        if (!m_stuckUntil.hasExpired()) {
            call.answer(Error(Error::Kind::Keychain,
                              QStringLiteral("The keychain stopped answering a moment ago. It may "
                                             "be locked and waiting for its password: unlock it "
                                             "and try again.")));
            continue;
        }
        start(std::move(call));
    }
}

void KeychainSecretStore::finish(const Call &call, Result<std::optional<QByteArray>> result)
{
    m_running = false;
    if (call.context) {
        call.answer(std::move(result));
    }
    QTimer::singleShot(0, this, &KeychainSecretStore::pump);
}

void KeychainSecretStore::start(Call call)
{
    QKeychain::Job *job = nullptr;
    switch (call.op) {
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Op::Write: {
        auto *write = new QKeychain::WritePasswordJob(m_service);
        write->setBinaryData(call.secret);
        job = write;
        break;
    }
    case Op::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(call.key);
    m_running = true;

    // Whichever comes first, the job's answer or the deadline, answers.
    auto answered = std::make_shared<bool>(false);
    auto *deadline = new QTimer(this);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, this, [this, call, answered, deadline] {
        deadline->deleteLater();
        if (*answered) {
            return;
        }
        *answered = true;
        m_stuckUntil.setRemainingTime(stuckBackoffMs);
        qCWarning(lcSecrets) << "keychain call timed out after" << m_timeoutMs << "ms";
        finish(call,
               Error(Error::Kind::Keychain,
                     QStringLiteral("The keychain did not answer within %1 s. It may be "
                                    "locked and waiting for its password: unlock it and try "
                                    "again.")
                         .arg(m_timeoutMs / 1000.0, 0, 'g', 3)));
    });
    deadline->start(m_timeoutMs);

    connect(job, &QKeychain::Job::finished, this,
            [this, call, answered, deadline](QKeychain::Job *done) {
                if (*answered) {
                    return;
                }
                *answered = true;
                deadline->stop();
                deadline->deleteLater();
                const QKeychain::Error code = done->error();
                if (code == QKeychain::NoError) {
                    finish(call,
                           call.op == Op::Read ? std::optional<QByteArray>(
                               static_cast<QKeychain::ReadPasswordJob *>(done)->binaryData())
                                               : std::optional<QByteArray>());
                    return;
                }
                if (code == QKeychain::EntryNotFound && call.op == Op::Read) {
                    // Absent is a normal answer, unless the keyring is locked
                    // (its prompt dismissed, or no display to show it on).
                    keyringlock::whenKnown(this, [this, call](bool locked) {
                        finish(call,
                               locked ? Result<std::optional<QByteArray>>(Error(
                                   Error::Kind::Keychain,
                                   QStringLiteral("The keyring is locked and was not unlocked "
                                                  "(its password prompt was dismissed or could not "
                                                  "be shown): unlock it and try again.")))
                                      : std::optional<QByteArray>());
                    });
                    return;
                }
                if (code == QKeychain::EntryNotFound) {
                    finish(call, std::optional<QByteArray>()); // absent: a normal answer
                    return;
                }
                if (code == QKeychain::NoBackendAvailable && call.attempt == 0) {
                    qCInfo(lcSecrets) << "no keychain backend yet; retrying once";
                    m_running = false;
                    Call again = call;
                    again.attempt = 1;
                    QTimer::singleShot(backendRetryDelayMs, this,
                                       [this, again] { enqueue(again); });
                    return;
                }
                qCWarning(lcSecrets) << "keychain error" << code;
                finish(call, keychainError(code, done->errorString()));
            });
    job->start();
}

} // namespace tokenkeeper
