#pragma once

#include "core/result.h"

#include <QObject>
#include <QString>

class QLocalServer;
class QLocalSocket;

namespace tokenkeeper {

// One desktop app per user session: starting it again raises the window of
// the one running, on a local socket of its own beside the agent's.
//
//   second start                                 first start (listening)
//   raiseRunning() --connect desktop.sock------>  accept
//                  --{"command":"raise", ...}-->  raiseRequested(activation token)
//                  <--{"ok":true}--------------
//   true: exit                                   the window comes to the front
//
//   nobody answers --> false: go on, take the agent lock, then listen()
//
// Two starts at once are settled by the agent lock: only its holder listens
// (and so may remove a socket left behind by a crash).
class SingleInstance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)

public:
    // A line longer than this is not ours: the connection is dropped.
    static constexpr qint64 maxRequestBytes = 4096;

    // `socketPath` empty: defaultSocketPath().
    explicit SingleInstance(QString socketPath = {}, QObject *parent = nullptr);
    ~SingleInstance() override;

    // $XDG_RUNTIME_DIR/tokenkeeper/desktop.sock
    static QString defaultSocketPath();
    const QString &socketPath() const { return m_socketPath; }

    // Asks a running app to raise its window, passing on this start's
    // activation token (XDG_ACTIVATION_TOKEN, DESKTOP_STARTUP_ID) if any.
    // Blocks for at most `timeoutMs`: call it before the event loop runs.
    // True when a running app said it would.
    bool raiseRunning(int timeoutMs = 2000) const;

    // Listens for later starts. Call only while holding the agent lock.
    Result<void> listen();
    bool isListening() const;

Q_SIGNALS:
    void raiseRequested(const QString &activationToken);

private:
    void accept();
    void read(QLocalSocket *socket);

    QString m_socketPath;
    QLocalServer *m_server;
};

} // namespace tokenkeeper
