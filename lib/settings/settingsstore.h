#pragma once

#include "appsettings.h"
#include "core/result.h"

#include <QObject>
#include <QString>

namespace tokenkeeper {

// Reads and writes the desktop app's settings (AppSettings) in an INI file
// under the user's config directory, beside profiles.json. Never a secret.
//
//   SettingsStore(path) --> load: missing keys take their defaults, values
//        out of range are brought into range (a hand-edited file)
//   save(settings) --> problems()? refuse : write, sync --> changed(settings)
//
// The path is handed in, so tests keep their own file.
class SettingsStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsStore)

public:
    explicit SettingsStore(QString path, QObject *parent = nullptr);
    ~SettingsStore() override = default;

    // $XDG_CONFIG_HOME/tokenkeeper/desktop.conf
    static QString defaultPath();

    const QString &path() const { return m_path; }
    const AppSettings &settings() const { return m_settings; }

    // Reads the file again.
    void reload();
    // Checks, writes and announces `settings`; an Error::Kind::Usage when a value
    // is out of range, Error::Kind::Storage when the file cannot be written.
    Result<void> save(const AppSettings &settings);

Q_SIGNALS:
    void changed(const tokenkeeper::AppSettings &settings);

private:
    QString m_path;
    AppSettings m_settings;
};

} // namespace tokenkeeper
