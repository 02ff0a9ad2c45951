#include "processguard.h"

#include <cerrno>
#include <cstring>
#include <sys/prctl.h>
#include <sys/resource.h>

namespace tokenkeeper::platform {

QString protectProcess()
{
    const rlimit noCore {0, 0};
    if (setrlimit(RLIMIT_CORE, &noCore) != 0) {
        return QStringLiteral("cannot turn core files off: %1")
            .arg(QString::fromLocal8Bit(std::strerror(errno)));
    }
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        return QStringLiteral("cannot make the process non-dumpable: %1")
            .arg(QString::fromLocal8Bit(std::strerror(errno)));
    }
    return {};
}

} // namespace tokenkeeper::platform
