#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace tokenkeeper {

// Where long-lived secrets live: the OS keychain in the product, memory in
// unit tests of pure logic. Every call is asynchronous and answers exactly
// once (unless `context` dies first); an absent entry is a normal answer
// (nullopt), not an error.
class SecretStore : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    using ReadDone = std::function<void(Result<std::optional<QByteArray>>)>;
    using Done = std::function<void(Result<void>)>;

    explicit SecretStore(QObject *parent = nullptr)
        : QObject(parent)
    { }
    ~SecretStore() override = default;

    virtual void read(const QString &key, QObject *context, ReadDone done) = 0;
    virtual void write(const QString &key, const QByteArray &secret, QObject *context,
                       Done done) = 0;
    virtual void remove(const QString &key, QObject *context, Done done) = 0;
};

} // namespace tokenkeeper
