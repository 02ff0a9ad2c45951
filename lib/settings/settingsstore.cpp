#include "settingsstore.h"

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>

#include <type_traits>

namespace tokenkeeper {

namespace {

const QString clipboardClearKey = QStringLiteral("clipboard/clearAfterSeconds");
const QString minLeadKey = QStringLiteral("refresh/minLeadSeconds");
const QString leadFractionKey = QStringLiteral("refresh/leadFraction");
const QString closeToTrayKey = QStringLiteral("window/closeToTray");
const QString startMinimizedKey = QStringLiteral("window/startMinimized");
const QString lockWhenIdleKey = QStringLiteral("security/lockWhenIdleMinutes");
const QString historyKeepKey = QStringLiteral("history/keep");

template<typename T> T read(const QSettings &file, const QString &key, T fallback)
{
    const QVariant value = file.value(key);
    if (!value.isValid() || !value.canConvert<T>()) {
        return fallback;
    }
    bool ok = true;
    if constexpr (std::is_same_v<T, int>) {
        const int number = value.toInt(&ok);
        return ok ? number : fallback;
    } else if constexpr (std::is_same_v<T, double>) {
        const double number = value.toDouble(&ok);
        return ok ? number : fallback;
    } else {
        // INI files hold text: "true", "false".
        const QString text = value.toString().trimmed().toLower();
        if (text == u"true" || text == u"1") {
            return true;
        }
        if (text == u"false" || text == u"0") {
            return false;
        }
        return fallback;
    }
}

} // namespace

SettingsStore::SettingsStore(QString path, QObject *parent)
    : QObject(parent)
    , m_path(std::move(path))
{
    reload();
}

QString SettingsStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/tokenkeeper/desktop.conf");
}

void SettingsStore::reload()
{
    const QSettings file(m_path, QSettings::IniFormat);
    const AppSettings defaults;
    AppSettings settings;
    settings.clipboardClearSeconds = read(file, clipboardClearKey, defaults.clipboardClearSeconds);
    settings.refreshMinLeadSeconds = read(file, minLeadKey, defaults.refreshMinLeadSeconds);
    settings.refreshLeadFraction = read(file, leadFractionKey, defaults.refreshLeadFraction);
    if (file.contains(closeToTrayKey)) {
        settings.closeToTray = read(file, closeToTrayKey, true);
    }
    settings.startMinimized = read(file, startMinimizedKey, defaults.startMinimized);
    settings.lockWhenIdleMinutes = read(file, lockWhenIdleKey, defaults.lockWhenIdleMinutes);
    // A word we do not know keeps nothing rather than everything: the user
    // meant to keep less.
    if (file.contains(historyKeepKey)) {
        settings.requestHistory =
            RequestHistory::keepFromName(file.value(historyKeepKey).toString().trimmed())
                .value_or(RequestHistory::Keep::Nothing);
    }
    m_settings = settings.bounded();
}

Result<void> SettingsStore::save(const AppSettings &settings)
{
    if (const QStringList problems = settings.problems(); !problems.isEmpty()) {
        return Error(Error::Kind::Usage, problems.join(u' '));
    }
    QSettings file(m_path, QSettings::IniFormat);
    file.setValue(clipboardClearKey, settings.clipboardClearSeconds);
    file.setValue(minLeadKey, settings.refreshMinLeadSeconds);
    file.setValue(leadFractionKey, settings.refreshLeadFraction);
    if (settings.closeToTray) {
        file.setValue(closeToTrayKey, *settings.closeToTray);
    } else {
        file.remove(closeToTrayKey);
    }
    file.setValue(startMinimizedKey, settings.startMinimized);
    file.setValue(lockWhenIdleKey, settings.lockWhenIdleMinutes);
    file.setValue(historyKeepKey, RequestHistory::keepName(settings.requestHistory));
    file.sync();
    if (file.status() != QSettings::NoError) {
        return Error(Error::Kind::Storage,
                     QCoreApplication::translate("tokenkeeper::SettingsStore",
                                                 "Could not save the settings to %1.")
                         .arg(m_path));
    }
    m_settings = settings;
    Q_EMIT changed(m_settings);
    return {};
}

} // namespace tokenkeeper
