#include "terminal.h"

#include <QByteArray>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <termios.h>
#include <unistd.h>
#endif

namespace tokenkeeper::terminal {

namespace {

constexpr int maxSecretBytes = 64 * 1024;

std::optional<QString> readLine()
{
    QByteArray line;
    for (;;) {
        const int c = std::fgetc(stdin);
        if (c == EOF) {
            if (line.isEmpty()) {
                return std::nullopt;
            }
            break;
        }
        if (c == '\n') {
            break;
        }
        if (line.size() < maxSecretBytes) {
            line.append(char(c));
        }
    }
    if (line.endsWith('\r')) {
        line.chop(1);
    }
    return QString::fromUtf8(line);
}

} // namespace

bool stdinIsTerminal()
{
#ifdef Q_OS_UNIX
    return ::isatty(STDIN_FILENO) == 1;
#else
    return false;
#endif
}

std::optional<QString> readSecret(const QString &prompt)
{
    if (!stdinIsTerminal()) {
        return readLine();
    }
#ifdef Q_OS_UNIX
    std::fputs(prompt.toLocal8Bit().constData(), stderr);
    std::fflush(stderr);
    termios saved {};
    const bool canHide = ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (canHide) {
        termios hidden = saved;
        hidden.c_lflag &= ~tcflag_t(ECHO);
        hidden.c_lflag |= ECHONL;
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden);
    }
    auto line = readLine();
    if (canHide) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    }
    return line;
#else
    Q_UNUSED(prompt)
    return readLine();
#endif
}

} // namespace tokenkeeper::terminal
