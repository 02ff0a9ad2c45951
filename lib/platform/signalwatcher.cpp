#include "signalwatcher.h"

#include <QSocketNotifier>

#include <csignal>
#include <sys/signalfd.h>
#include <unistd.h>

namespace tokenkeeper {

SignalWatcher::SignalWatcher(const QList<int> &signalNumbers, QObject *parent)
    : QObject(parent)
{
    sigset_t mask;
    sigemptyset(&mask);
    for (const int number : signalNumbers) {
        sigaddset(&mask, number);
    }
    pthread_sigmask(SIG_BLOCK, &mask, nullptr);
    m_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (m_fd < 0) {
        // Without a signalfd the default actions end the process, which is good enough.
        pthread_sigmask(SIG_UNBLOCK, &mask, nullptr);
        return;
    }
    m_notifier = new QSocketNotifier(m_fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SignalWatcher::readSignal);
}

SignalWatcher::~SignalWatcher()
{
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

void SignalWatcher::readSignal()
{
    signalfd_siginfo info {};
    while (::read(m_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        Q_EMIT received(static_cast<int>(info.ssi_signo));
    }
}

} // namespace tokenkeeper
