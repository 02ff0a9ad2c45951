#include "terminal.h"

#include <QByteArray>

#include <cerrno>
#include <cstdio>

#ifdef Q_OS_UNIX
#include <csignal>
#include <poll.h>
#include <termios.h>
#include <unistd.h>
#endif
#ifdef Q_OS_LINUX
#include <sys/signalfd.h>
#endif

namespace tokenkeeper::terminal {

namespace {

constexpr int maxSecretBytes = 64 * 1024;

#ifdef Q_OS_UNIX
// SIGINT and SIGTERM, readable on a file descriptor while this lives: they
// are blocked for this thread meanwhile, then the mask is put back (a signal
// that came and was not blocked before takes its default action then).
class StopSignals final
{
public:
    StopSignals()
    {
        sigemptyset(&m_mask);
        sigaddset(&m_mask, SIGINT);
        sigaddset(&m_mask, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &m_mask, &m_before);
#ifdef Q_OS_LINUX
        m_fd = ::signalfd(-1, &m_mask, SFD_NONBLOCK | SFD_CLOEXEC);
#endif
    }
    ~StopSignals()
    {
        if (m_fd >= 0) {
            ::close(m_fd); // never read: a pending signal stays pending
        }
        pthread_sigmask(SIG_SETMASK, &m_before, nullptr);
    }
    Q_DISABLE_COPY_MOVE(StopSignals)

    int fd() const
    {
        return m_fd;
    }

private:
    sigset_t m_mask {};
    sigset_t m_before {};
    int m_fd = -1;
};

// Echo off on the terminal while this lives; the settings as they were after.
class EchoOff final
{
public:
    EchoOff()
        : m_hidden(::tcgetattr(STDIN_FILENO, &m_saved) == 0)
    {
        if (m_hidden) {
            termios hidden = m_saved;
            hidden.c_lflag &= ~tcflag_t(ECHO);
            hidden.c_lflag |= ECHONL;
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden);
        }
    }
    ~EchoOff()
    {
        if (m_hidden) {
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
        }
    }
    Q_DISABLE_COPY_MOVE(EchoOff)

private:
    termios m_saved {};
    bool m_hidden;
};

enum class Got { Byte, End, Interrupted };

// One byte of standard input, unless a stop signal comes first.
Got readByte(const StopSignals &stop, char *byte)
{
    for (;;) {
        pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {stop.fd(), POLLIN, 0}};
        if (::poll(fds, stop.fd() >= 0 ? 2 : 1, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            return Got::End;
        }
        if (stop.fd() >= 0 && (fds[1].revents & POLLIN) != 0) {
            return Got::Interrupted;
        }
        const ssize_t got = ::read(STDIN_FILENO, byte, 1);
        if (got == 1) {
            return Got::Byte;
        }
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        return Got::End;
    }
}

// A byte at a time from the descriptor, so that nothing after the line is
// taken from standard input (a confidential client's secret follows).
SecretRead readLine(const StopSignals &stop)
{
    QByteArray line;
    bool ended = false;
    for (;;) {
        char c = 0;
        const Got got = readByte(stop, &c);
        if (got == Got::Interrupted) {
            return {SecretRead::Status::Interrupted, {}};
        }
        if (got == Got::End) {
            ended = true;
            break;
        }
        if (c == '\n') {
            break;
        }
        if (line.size() < maxSecretBytes) {
            line.append(c);
        }
    }
    if (ended && line.isEmpty()) {
        return {SecretRead::Status::EndOfInput, {}};
    }
    if (line.endsWith('\r')) {
        line.chop(1);
    }
    return {SecretRead::Status::Read, QString::fromUtf8(line)};
}
#else
SecretRead readLine()
{
    QByteArray line;
    for (int c = std::fgetc(stdin); c != EOF && c != '\n'; c = std::fgetc(stdin)) {
        if (line.size() < maxSecretBytes) {
            line.append(char(c));
        }
    }
    if (line.endsWith('\r')) {
        line.chop(1);
    }
    return {line.isEmpty() && std::feof(stdin) ? SecretRead::Status::EndOfInput
                                               : SecretRead::Status::Read,
            QString::fromUtf8(line)};
}
#endif

} // namespace

bool stdinIsTerminal()
{
#ifdef Q_OS_UNIX
    return ::isatty(STDIN_FILENO) == 1;
#else
    return false;
#endif
}

SecretRead readSecret(const QString &prompt)
{
#ifdef Q_OS_UNIX
    // Made first, gone last: a signal that was not blocked before acts only
    // once echo is back.
    const StopSignals stop;
    if (!stdinIsTerminal()) {
        return readLine(stop);
    }
    std::fputs(prompt.toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
    SecretRead read;
    {
        const EchoOff hidden;
        read = readLine(stop);
    }
    if (read.status == SecretRead::Status::Interrupted) {
        std::fputc('\n', stderr); // the shell's prompt on a line of its own
    }
    return read;
#else
    if (!stdinIsTerminal()) {
        return readLine();
    }
    std::fputs(prompt.toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
    return readLine();
#endif
}

} // namespace tokenkeeper::terminal
