#pragma once

#include "core/result.h"

#include <QDeadlineTimer>
#include <QList>
#include <QObject>
#include <QPointer>

#include <deque>
#include <functional>
#include <map>
#include <memory>

class QLockFile;
class QTimer;

namespace tokenkeeper {

// The one lock rule: whoever reads, spends or writes a profile's secrets
// holds the profile's lock file (`<directory>/<profile id>.lock`) around
// read -> refresh -> store, whichever process it is: the command line working
// alone (for its whole command), the agent and the desktop app (for each
// renewal, login, logout and retried keychain write). Two processes then never
// send one refresh token twice (Sensu ends the session when they do).
//
//   acquire(id) --> queued behind this process's other holders of `id`
//     --> tryLock, never blocking the event loop (a few profiles a turn)
//           |- taken -----------------------------> done(lease)
//           |- held by another process: again in 100 ms; a lock file that
//           |  names no process is taken over after a second (abandoned)
//           `- still held after waitLimitMs, or unusable --> done(Storage error)
//   the lease's last copy dropped --> unlocked, the next one in line goes
//
// Within one process the holders of a profile take turns in the order they
// asked: QLockFile knows holders by process, so the file alone would leave
// two of ours waiting on each other.
class ProfileLocks final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileLocks)

public:
    // Held while any copy lives; an empty lease holds nothing.
    class Lease
    {
    public:
        Lease() = default;
        bool holds() const { return bool(m_hold); }
        void release() { m_hold.reset(); }

    private:
        friend class ProfileLocks;
        explicit Lease(std::shared_ptr<void> hold)
            : m_hold(std::move(hold))
        { }
        std::shared_ptr<void> m_hold;
    };
    using Acquired = std::function<void(Result<Lease>)>;

    explicit ProfileLocks(QString directory, QObject *parent = nullptr);
    ~ProfileLocks() override;

    // The user's: `$XDG_RUNTIME_DIR/tokenkeeper/locks` (Qt's per-user runtime
    // directory when unset), beside the agent's socket and lock.
    static QString userDirectory();

    const QString &directory() const { return m_directory; }
    void setWaitLimitMs(int ms) { m_waitLimitMs = ms; }

    // Calls `done` (never before returning) with the lease of the profile's
    // lock, or with an error naming `profileName` when it could not be had.
    void acquire(const QString &profileId, const QString &profileName, QObject *context,
                 Acquired done);

    // As acquire() with `locks`; with none (a process that takes no locks)
    // at once, with an empty lease.
    static void acquireIfLocking(ProfileLocks *locks, const QString &profileId,
                                 const QString &profileName, QObject *context, Acquired done);

private:
    struct Waiter
    {
        QString profileName;
        QPointer<QObject> context;
        Acquired done;
        QDeadlineTimer deadline;
    };
    struct Slot
    {
        std::unique_ptr<QLockFile> file;
        bool held = false; // by a lease of this process
        bool scheduled = false; // a tryTake() is on its way
        QList<Waiter> waiting; // in the order they asked
    };
    struct Hold; // what a lease shares: releases the lock when the last copy goes

    // tryTake() of the profile after `delayMs`, through the queue of due ones.
    void schedule(const QString &profileId, int delayMs);
    void due(const QString &profileId);
    void pump(); // a few due ones a turn of the event loop
    void tryTake(const QString &profileId);
    void release(const QString &profileId);
    static void removeIfAbandoned(QLockFile &lock);

    QString m_directory;
    int m_waitLimitMs = 60'000;
    std::map<QString, Slot> m_slots; // profile id -> its lock file and who waits for it
    std::deque<QString> m_due; // to try now, in order
    QTimer *m_pump;
};

} // namespace tokenkeeper
