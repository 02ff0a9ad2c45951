#include "keyringlock.h"

#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusVariant>
#include <QPointer>

namespace tokenkeeper::keyringlock {

namespace {

const QString service = QStringLiteral("org.freedesktop.secrets");

// Calls `method` and hands its reply to `then`, on the session bus, without waiting.
void call(const QDBusMessage &message, QObject *context,
          std::function<void(const QDBusMessage &)> then)
{
    auto *watcher = new QDBusPendingCallWatcher(
        QDBusConnection::sessionBus().asyncCall(message, 2000), context);
    QObject::connect(watcher, &QDBusPendingCallWatcher::finished, context,
                     [watcher, then = std::move(then)] {
                         watcher->deleteLater();
                         then(watcher->reply());
                     });
}

} // namespace

void whenKnown(QObject *context, std::function<void(bool locked)> answer)
{
    if (!QDBusConnection::sessionBus().isConnected()) {
        answer(false);
        return;
    }
    QDBusMessage alias = QDBusMessage::createMethodCall(
        service, QStringLiteral("/org/freedesktop/secrets"),
        QStringLiteral("org.freedesktop.Secret.Service"), QStringLiteral("ReadAlias"));
    alias << QStringLiteral("default");
    call(alias, context, [context, answer](const QDBusMessage &reply) {
        const QList<QVariant> args = reply.arguments();
        const QString path =
            args.isEmpty() ? QString() : args.first().value<QDBusObjectPath>().path();
        if (reply.type() != QDBusMessage::ReplyMessage || path.isEmpty() || path == u"/") {
            answer(false);
            return;
        }
        QDBusMessage get = QDBusMessage::createMethodCall(
            service, path, QStringLiteral("org.freedesktop.DBus.Properties"),
            QStringLiteral("Get"));
        get << QStringLiteral("org.freedesktop.Secret.Collection") << QStringLiteral("Locked");
        call(get, context, [answer](const QDBusMessage &locked) {
            const QList<QVariant> values = locked.arguments();
            answer(locked.type() == QDBusMessage::ReplyMessage && !values.isEmpty()
                   && values.first().value<QDBusVariant>().variant().toBool());
        });
    });
}

} // namespace tokenkeeper::keyringlock
