#pragma once

#include "request/requesthistory.h"
#include "scheduler/refreshpolicy.h"

#include <QStringList>

#include <chrono>
#include <optional>

namespace tokenkeeper {

// The desktop app's preferences, and the request history's for the command
// line too, as plain data. Never a secret: they are kept in a settings file
// (SettingsStore) beside the profiles.
struct AppSettings
{
    static constexpr int defaultClipboardClearSeconds = 45;
    static constexpr int minClipboardClearSeconds = 5;
    static constexpr int maxClipboardClearSeconds = 3600;
    static constexpr int minRefreshLeadSeconds = 10;
    static constexpr int maxRefreshLeadSeconds = 3600;
    static constexpr double maxRefreshLeadFraction = 0.5; // the policy never goes earlier
    static constexpr int maxLockWhenIdleMinutes = 24 * 60;

    int clipboardClearSeconds = defaultClipboardClearSeconds;
    int refreshMinLeadSeconds = RefreshPolicy().minLeadSeconds;
    double refreshLeadFraction = RefreshPolicy().leadFraction;
    std::optional<bool> closeToTray; // unset: on whenever there is a tray
    bool startMinimized = false;
    // Lock (Engine::lock) once no token was used for this long; 0: never.
    int lockWhenIdleMinutes = 0;
    // What the request tester's history keeps (the window's and `tokenkeeper request`'s).
    RequestHistory::Keep requestHistory = RequestHistory::Keep::Everything;

    // Whether closing the window keeps the app in the tray, given whether there is one.
    bool closeToTrayWith(bool trayAvailable) const
    {
        return trayAvailable && closeToTray.value_or(true);
    }
    std::chrono::milliseconds clipboardClearAfter() const
    {
        return std::chrono::seconds(clipboardClearSeconds);
    }
    // `policy` with this lead; the back-off and jitter are left as they are.
    RefreshPolicy applyTo(RefreshPolicy policy) const;

    // What is out of range, in words a person can act on; empty when all is well.
    QStringList problems() const;
    // These settings with every value brought into range (a hand-edited file).
    AppSettings bounded() const;

    friend bool operator==(const AppSettings &, const AppSettings &) = default;
};

} // namespace tokenkeeper
