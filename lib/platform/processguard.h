#pragma once

#include <QString>

namespace tokenkeeper::platform {

// Keeps the secrets in this process's memory out of reach of other processes
// of the same user and off the disk: no core file (RLIMIT_CORE 0) and not
// dumpable (PR_SET_DUMPABLE 0: no ptrace attach, no /proc/<pid>/mem for
// others). Called first thing in every main() that holds a secret (the
// command line, the agent, the desktop app). Empty, or why it failed.
QString protectProcess();

} // namespace tokenkeeper::platform
