#pragma once

#include "emulatorconfig.h"
#include "ledger.h"

#include <QDateTime>

#include <functional>

namespace tokenkeeper::emulator {

// What every emulated server shares: the configuration, the ledger and the clock.
struct ServerContext
{
    EmulatorConfig defaults;
    EmulatorConfig config;
    Ledger ledger;
    std::function<qint64()> nowMsecs = [] { return QDateTime::currentMSecsSinceEpoch(); };

    // Unix seconds.
    qint64 now() const { return nowMsecs() / 1000; }
};

} // namespace tokenkeeper::emulator
