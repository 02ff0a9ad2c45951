#include "appsettings.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace tokenkeeper {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("tokenkeeper::AppSettings", text);
}

} // namespace

RefreshPolicy AppSettings::applyTo(RefreshPolicy policy) const
{
    policy.minLeadSeconds = refreshMinLeadSeconds;
    policy.leadFraction = refreshLeadFraction;
    return policy;
}

QStringList AppSettings::problems() const
{
    QStringList problems;
    if (clipboardClearSeconds < minClipboardClearSeconds
        || clipboardClearSeconds > maxClipboardClearSeconds) {
        problems.append(tr("The clipboard is cleared after %1 to %2 seconds.")
                            .arg(minClipboardClearSeconds)
                            .arg(maxClipboardClearSeconds));
    }
    if (refreshMinLeadSeconds < minRefreshLeadSeconds
        || refreshMinLeadSeconds > maxRefreshLeadSeconds) {
        problems.append(tr("Tokens are refreshed %1 to %2 seconds before they expire.")
                            .arg(minRefreshLeadSeconds)
                            .arg(maxRefreshLeadSeconds));
    }
    if (!std::isfinite(refreshLeadFraction) || refreshLeadFraction < 0.0
        || refreshLeadFraction > maxRefreshLeadFraction) {
        problems.append(tr("The share of a token's lifetime left at refresh is 0 to %1%.")
                            .arg(int(maxRefreshLeadFraction * 100)));
    }
    if (lockWhenIdleMinutes < 0 || lockWhenIdleMinutes > maxLockWhenIdleMinutes) {
        problems.append(tr("Locking when unused waits 1 to %1 minutes (0: never).")
                            .arg(maxLockWhenIdleMinutes));
    }
    return problems;
}

AppSettings AppSettings::bounded() const
{
    AppSettings result = *this;
    result.clipboardClearSeconds =
        std::clamp(clipboardClearSeconds, minClipboardClearSeconds, maxClipboardClearSeconds);
    result.refreshMinLeadSeconds =
        std::clamp(refreshMinLeadSeconds, minRefreshLeadSeconds, maxRefreshLeadSeconds);
    result.refreshLeadFraction = std::isfinite(refreshLeadFraction)
        ? std::clamp(refreshLeadFraction, 0.0, maxRefreshLeadFraction)
        : RefreshPolicy().leadFraction;
    result.lockWhenIdleMinutes = std::clamp(lockWhenIdleMinutes, 0, maxLockWhenIdleMinutes);
    return result;
}

} // namespace tokenkeeper
