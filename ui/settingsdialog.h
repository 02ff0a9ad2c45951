#pragma once

#include "settings/appsettings.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QSpinBox;

namespace tokenkeeper {

class RefreshScheduler;
class SecretClipboard;
class SettingsStore;

// The desktop app's preferences: how long a copied token stays on the
// clipboard, how early tokens are refreshed, close to tray, start minimized,
// and what the request history keeps (the command line's too).
//
//   OK / Apply --> AppSettings::problems()? shown inline, nothing changes
//              --> SettingsStore::save() (failure shown inline)
//              --> apply(): the clipboard's clear time, the scheduler's policy
//
// The close-to-tray, start-minimized and history choices are read by
// whoever needs them from the store (and its changed() signal; the request
// history reads its setting from the file on every add).
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    SettingsDialog(SettingsStore &store, SecretClipboard *clipboard, RefreshScheduler &scheduler,
                   bool trayAvailable, QWidget *parent = nullptr);
    ~SettingsDialog() override = default;

    // Puts `settings` to work: the clipboard's clear time, the refresh lead.
    static void apply(const AppSettings &settings, SecretClipboard *clipboard,
                      RefreshScheduler &scheduler);

    // What the fields say now.
    AppSettings edited() const;
    // Saves and applies what the fields say; false (with the reason shown) if it cannot.
    bool applyEdits();

public Q_SLOTS:
    void accept() override;

private:
    void showSettings(const AppSettings &settings);
    void updateButtons();

    SettingsStore &m_store;
    SecretClipboard *m_clipboard;
    RefreshScheduler &m_scheduler;
    bool m_trayAvailable;

    QSpinBox *m_clipboardClear = nullptr;
    QSpinBox *m_minLead = nullptr;
    QSpinBox *m_leadPercent = nullptr;
    QCheckBox *m_closeToTray = nullptr;
    QCheckBox *m_startMinimized = nullptr;
    QSpinBox *m_lockWhenIdle = nullptr;
    QComboBox *m_historyKeep = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace tokenkeeper
