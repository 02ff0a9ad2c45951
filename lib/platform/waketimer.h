#pragma once

#include <QDateTime>
#include <QObject>

class QSocketNotifier;
class QTimer;

namespace tokenkeeper {

// Wakes the refresh scheduler at a wall-clock time. A scheduler arms one
// WakeTimer for its earliest due refresh, so nothing wakes up while nothing
// is due. Tests use a manual one and fire it themselves.
class WakeTimer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WakeTimer)

public:
    explicit WakeTimer(QObject *parent = nullptr)
        : QObject(parent)
    { }
    ~WakeTimer() override = default;

    // Replaces any earlier time; a time in the past fires at once.
    virtual void wakeAt(const QDateTime &when) = 0;
    virtual void cancel() = 0;

Q_SIGNALS:
    void fired();
    // The wall clock was set (a jump, not the steady flow of time): whatever
    // was computed from it must be computed again.
    void clockChanged();
};

// The real one. On Linux a timerfd on CLOCK_REALTIME with an absolute time:
// it fires at the right wall time after a suspend (monotonic timers do not
// count the time asleep) and reports clock changes (TFD_TIMER_CANCEL_ON_SET).
// Elsewhere a QTimer.
class SystemWakeTimer final : public WakeTimer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SystemWakeTimer)

public:
    explicit SystemWakeTimer(QObject *parent = nullptr);
    ~SystemWakeTimer() override;

    void wakeAt(const QDateTime &when) override;
    void cancel() override;

private:
    void readTimer();

    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_fallback = nullptr;
};

} // namespace tokenkeeper
