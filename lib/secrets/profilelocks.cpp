#include "profilelocks.h"

#include "core/logging.h"
#include "profiles/profile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QStandardPaths>
#include <QTimer>

namespace tokenkeeper {

struct ProfileLocks::Hold
{
    QPointer<ProfileLocks> locks;
    QString profileId;

    Hold(ProfileLocks *owner, QString id)
        : locks(owner)
        , profileId(std::move(id))
    { }
    ~Hold()
    {
        if (locks) {
            locks->release(profileId);
        }
    }
    Q_DISABLE_COPY_MOVE(Hold)
};

ProfileLocks::ProfileLocks(QString directory, QObject *parent)
    : QObject(parent)
    , m_directory(std::move(directory))
    , m_pump(new QTimer(this))
{
    m_pump->setSingleShot(true);
    m_pump->setInterval(0);
    connect(m_pump, &QTimer::timeout, this, &ProfileLocks::pump);
}

ProfileLocks::~ProfileLocks() = default; // each QLockFile unlocks as it goes

QString ProfileLocks::userDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation)
        + QStringLiteral("/tokenkeeper/locks");
}

void ProfileLocks::acquire(const QString &profileId, const QString &profileName, QObject *context,
                           Acquired done)
{
    if (const QString problem = Profile::checkId(profileId); !problem.isEmpty()) {
        // An id becomes a file name only when well-formed (never "../x").
        QTimer::singleShot(0, context, [done = std::move(done), profileName, problem] {
            done(Error(Error::Kind::Storage,
                       QStringLiteral("Profile \"%1\" cannot be locked: its id is not "
                                      "well-formed. %2")
                           .arg(profileName, problem)));
        });
        return;
    }
    Slot &slot = m_slots[profileId];
    if (!slot.file) {
        // The runtime directory is the user's alone (0700), as the agent's socket's.
        const QString parent = QFileInfo(m_directory).absolutePath();
        if (!QFileInfo::exists(parent) && QDir().mkpath(parent)) {
            QFile::setPermissions(
                parent, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        }
        QDir().mkpath(m_directory);
        slot.file =
            std::make_unique<QLockFile>(m_directory + u'/' + profileId + QStringLiteral(".lock"));
        slot.file->setStaleLockTime(0); // stale only when its process is gone
    }
    slot.waiting.append(
        {profileName, QPointer<QObject>(context), std::move(done), QDeadlineTimer(m_waitLimitMs)});
    if (!slot.held) {
        schedule(profileId, 0);
    }
}

void ProfileLocks::acquireIfLocking(ProfileLocks *locks, const QString &profileId,
                                    const QString &profileName, QObject *context, Acquired done)
{
    if (!locks) {
        done(Lease());
        return;
    }
    locks->acquire(profileId, profileName, context, std::move(done));
}

void ProfileLocks::schedule(const QString &profileId, int delayMs)
{
    Slot &slot = m_slots[profileId];
    if (slot.scheduled) {
        return;
    }
    slot.scheduled = true;
    if (delayMs == 0) {
        due(profileId);
        return;
    }
    QTimer::singleShot(delayMs, this, [this, profileId] { due(profileId); });
}

void ProfileLocks::due(const QString &profileId)
{
    m_due.push_back(profileId);
    if (!m_pump->isActive()) {
        m_pump->start();
    }
}

void ProfileLocks::pump()
{
    // A lock file costs a create, a write and an unlink: a storm of a
    // thousand renewals takes its locks a few at a time, and the event loop
    // runs in between.
    constexpr int perTurn = 16;
    for (int n = 0; n < perTurn && !m_due.empty(); ++n) {
        const QString profileId = m_due.front();
        m_due.pop_front();
        m_slots[profileId].scheduled = false;
        tryTake(profileId);
    }
    if (!m_due.empty()) {
        m_pump->start();
    }
}

void ProfileLocks::tryTake(const QString &profileId)
{
    Slot &slot = m_slots[profileId];
    slot.waiting.removeIf([](const Waiter &waiter) { return !waiter.context; });
    if (slot.held || slot.waiting.isEmpty()) {
        return;
    }
    if (slot.file->tryLock(0)) {
        slot.held = true;
        const Waiter next = slot.waiting.takeFirst();
        next.done(Lease(std::make_shared<Hold>(this, profileId)));
        return;
    }
    const Waiter &first = slot.waiting.constFirst();
    if (slot.file->error() == QLockFile::LockFailedError && !first.deadline.hasExpired()) {
        removeIfAbandoned(*slot.file);
        schedule(profileId, 100);
        return;
    }
    const Waiter failed = slot.waiting.takeFirst();
    failed.done(Error(
        Error::Kind::Storage,
        slot.file->error() == QLockFile::LockFailedError
            ? tr("Another Tokenkeeper process has been using \"%1\" for %2 s; try again.")
                  .arg(failed.profileName)
                  .arg(m_waitLimitMs / 1000)
            : tr("Cannot take the lock of \"%1\" in %2.").arg(failed.profileName, m_directory)));
    schedule(profileId, 0); // the next one in line tries on its own deadline
}

void ProfileLocks::release(const QString &profileId)
{
    Slot &slot = m_slots[profileId];
    slot.file->unlock();
    slot.held = false;
    if (!slot.waiting.isEmpty()) {
        schedule(profileId, 0);
    }
}

void ProfileLocks::removeIfAbandoned(QLockFile &lock)
{
    // A lock file that names no process was left by one killed while it
    // wrote it, and QLockFile knows a stale lock by its process only: it
    // would wait for ever. A live holder's file names it a moment after it
    // is made. As QLockFile does, the removal is serialised by a second lock,
    // under which the file is looked at again.
    const auto abandoned = [&lock] {
        qint64 pid = 0;
        QString host;
        QString app;
        const QFileInfo file(lock.fileName());
        return file.exists() && !lock.getLockInfo(&pid, &host, &app)
            && file.lastModified().msecsTo(QDateTime::currentDateTime()) > 1000;
    };
    if (!abandoned()) {
        return;
    }
    QLockFile removal(lock.fileName() + QStringLiteral(".rmlock"));
    if (removal.tryLock(0) && abandoned()) {
        qCWarning(lcProfiles).noquote() << "taking over the abandoned lock" << lock.fileName();
        lock.removeStaleLockFile();
    }
}

} // namespace tokenkeeper
