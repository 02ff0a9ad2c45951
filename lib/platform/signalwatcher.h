#pragma once

#include <QList>
#include <QObject>

class QSocketNotifier;

namespace tokenkeeper {

// Turns Unix signals (SIGINT, SIGTERM) into a Qt signal through a signalfd, so the event loop
// can end cleanly. The signals are blocked for the calling thread and the threads it starts:
// construct it early in main().
class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(const QList<int> &signalNumbers, QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void received(int signalNumber);

private:
    void readSignal();

    int m_fd = -1;
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace tokenkeeper
