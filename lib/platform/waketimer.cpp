#include "waketimer.h"

#include <QSocketNotifier>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <cerrno>
#include <sys/timerfd.h>
#include <unistd.h>
#endif

namespace tokenkeeper {

SystemWakeTimer::SystemWakeTimer(QObject *parent)
    : WakeTimer(parent)
{
#ifdef Q_OS_LINUX
    m_fd = ::timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
    if (m_fd >= 0) {
        m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, &SystemWakeTimer::readTimer);
        return;
    }
#endif
    m_fallback = new QTimer(this);
    m_fallback->setSingleShot(true);
    connect(m_fallback, &QTimer::timeout, this, &WakeTimer::fired);
}

SystemWakeTimer::~SystemWakeTimer()
{
#ifdef Q_OS_LINUX
    if (m_fd >= 0) {
        ::close(m_fd);
    }
#endif
}

void SystemWakeTimer::wakeAt(const QDateTime &when)
{
#ifdef Q_OS_LINUX
    if (m_fd >= 0) {
        const qint64 ms = qMax<qint64>(1, when.toMSecsSinceEpoch()); // 0 would disarm
        itimerspec spec {};
        spec.it_value.tv_sec = time_t(ms / 1000);
        spec.it_value.tv_nsec = long(ms % 1000) * 1'000'000L;
        ::timerfd_settime(m_fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &spec, nullptr);
        return;
    }
#endif
    // QTimer takes an int of milliseconds: wake at least once every 24 days.
    const qint64 delay = QDateTime::currentDateTimeUtc().msecsTo(when);
    m_fallback->start(int(qBound<qint64>(0, delay, 24LL * 24 * 3600 * 1000)));
}

void SystemWakeTimer::cancel()
{
#ifdef Q_OS_LINUX
    if (m_fd >= 0) {
        itimerspec spec {};
        ::timerfd_settime(m_fd, 0, &spec, nullptr);
        return;
    }
#endif
    m_fallback->stop();
}

void SystemWakeTimer::readTimer()
{
#ifdef Q_OS_LINUX
    quint64 expirations = 0;
    const ssize_t got = ::read(m_fd, &expirations, sizeof expirations);
    if (got == ssize_t(sizeof expirations)) {
        Q_EMIT fired();
    } else if (got < 0 && errno == ECANCELED) {
        Q_EMIT clockChanged();
    }
#endif
}

} // namespace tokenkeeper
