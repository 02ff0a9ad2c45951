#pragma once

#include "secretstore.h"

#include <QDeadlineTimer>
#include <QList>
#include <QPointer>

namespace tokenkeeper {

// The OS keychain through Qt Keychain (Secret Service, macOS Keychain,
// Windows Credential Manager), with no insecure fallback. Qt Keychain has no
// timeout of its own and a locked keyring can wait forever on a prompt, so
// every call is bounded: past `timeoutMs` it answers with a Keychain error and
// the late job's answer is ignored. A missing backend is retried once after a
// short delay, since a Secret Service may start late with the session.
class KeychainSecretStore final : public SecretStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeychainSecretStore)

public:
    static constexpr int defaultTimeoutMs = 10'000;
    static constexpr int stuckBackoffMs = 30'000;

    explicit KeychainSecretStore(QString service, int timeoutMs = defaultTimeoutMs,
                                 QObject *parent = nullptr);
    ~KeychainSecretStore() override = default;

    void read(const QString &key, QObject *context, ReadDone done) override;
    void write(const QString &key, const QByteArray &secret, QObject *context, Done done) override;
    void remove(const QString &key, QObject *context, Done done) override;

private:
    enum class Op { Read, Write, Remove };
    using Answer = std::function<void(Result<std::optional<QByteArray>>)>;
    struct Call
    {
        Op op;
        QString key;
        QByteArray secret;
        QPointer<QObject> context;
        Answer answer;
        int attempt = 0;
    };

    void enqueue(Call call);
    void pump();
    void start(Call call);
    void finish(const Call &call, Result<std::optional<QByteArray>> result);

    QString m_service;
    int m_timeoutMs;
    // Qt Keychain runs one job at a time anyway; queueing here means each
    // deadline counts the job's own time, not the time spent waiting behind
    // a thousand others.
    QList<Call> m_queue;
    bool m_running = false;
    // After a job hangs (a locked keyring waiting on a prompt), every later
    // one would queue behind it and time out too: fail fast for a while.
    QDeadlineTimer m_stuckUntil;
};

} // namespace tokenkeeper
