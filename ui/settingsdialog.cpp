#include "settingsdialog.h"

#include "scheduler/refreshscheduler.h"
#include "secretclipboard.h"
#include "settings/settingsstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace tokenkeeper {

namespace {

QSpinBox *spinBox(const QString &objectName, const QString &accessibleName, int minimum,
                  int maximum, const QString &suffix)
{
    auto *spin = new QSpinBox;
    spin->setObjectName(objectName);
    spin->setAccessibleName(accessibleName);
    spin->setRange(minimum, maximum);
    spin->setSuffix(suffix);
    spin->setAccelerated(true);
    return spin;
}

} // namespace

SettingsDialog::SettingsDialog(SettingsStore &store, SecretClipboard *clipboard,
                               RefreshScheduler &scheduler, bool trayAvailable, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_clipboard(clipboard)
    , m_scheduler(scheduler)
    , m_trayAvailable(trayAvailable)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Tokenkeeper Settings"));
    setAccessibleName(tr("Settings"));

    // Copying.
    m_clipboardClear = spinBox(
        QStringLiteral("clipboardClearSpin"), tr("Clear the clipboard after, in seconds"),
        AppSettings::minClipboardClearSeconds, AppSettings::maxClipboardClearSeconds, tr(" s"));
    m_clipboardClear->setToolTip(tr("A copied token or header is removed from the clipboard after "
                                    "this long, if nothing else was copied since."));
    auto *copying = new QGroupBox(tr("Copying"));
    auto *copyingForm = new QFormLayout(copying);
    copyingForm->addRow(tr("&Clear the clipboard after:"), m_clipboardClear);

    // Refreshing.
    m_minLead = spinBox(
        QStringLiteral("minLeadSpin"), tr("Refresh at least this many seconds before expiry"),
        AppSettings::minRefreshLeadSeconds, AppSettings::maxRefreshLeadSeconds, tr(" s"));
    m_leadPercent = spinBox(QStringLiteral("leadPercentSpin"),
                            tr("Or with this share of the lifetime left, in percent"), 0,
                            int(AppSettings::maxRefreshLeadFraction * 100), tr(" %"));
    auto *leadNote = new QLabel(tr("Tokens are renewed with whichever is longer left, but never "
                                   "before half of their lifetime has passed."));
    leadNote->setWordWrap(true);
    leadNote->setForegroundRole(QPalette::PlaceholderText);
    auto *refreshing = new QGroupBox(tr("Refreshing"));
    auto *refreshingForm = new QFormLayout(refreshing);
    refreshingForm->addRow(tr("Refresh at &least:"), m_minLead);
    refreshingForm->addRow(tr("or with this &much left:"), m_leadPercent);
    refreshingForm->addRow(leadNote);

    // Locking.
    m_lockWhenIdle = spinBox(QStringLiteral("lockWhenIdleSpin"),
                             tr("Lock after this many minutes without a use, 0 for never"), 0,
                             AppSettings::maxLockWhenIdleMinutes, tr(" min"));
    m_lockWhenIdle->setSpecialValueText(tr("Never"));
    m_lockWhenIdle->setToolTip(tr("With no copy, request or command-line use for this long, "
                                  "every token and secret is dropped from memory (File > Lock); "
                                  "the next use reads the keychain again."));
    auto *locking = new QGroupBox(tr("Locking"));
    auto *lockingForm = new QFormLayout(locking);
    lockingForm->addRow(tr("Lock when &unused for:"), m_lockWhenIdle);

    // The window.
    m_closeToTray = new QCheckBox(tr("Closing the window keeps Tokenkeeper in the &tray"));
    m_closeToTray->setObjectName(QStringLiteral("closeToTrayCheck"));
    m_closeToTray->setAccessibleName(m_closeToTray->text().remove(u'&'));
    m_startMinimized =
        new QCheckBox(trayAvailable ? tr("&Start in the tray") : tr("&Start minimized"));
    m_startMinimized->setObjectName(QStringLiteral("startMinimizedCheck"));
    m_startMinimized->setAccessibleName(m_startMinimized->text().remove(u'&'));
    auto *window = new QGroupBox(tr("Window"));
    auto *windowLayout = new QVBoxLayout(window);
    windowLayout->addWidget(m_closeToTray);
    windowLayout->addWidget(m_startMinimized);
    if (!trayAvailable) {
        m_closeToTray->setEnabled(false);
        auto *noTray = new QLabel(tr("This desktop has no system tray: closing the window quits."));
        noTray->setObjectName(QStringLiteral("noTrayNote"));
        noTray->setWordWrap(true);
        noTray->setForegroundRole(QPalette::PlaceholderText);
        windowLayout->addWidget(noTray);
    }

    // The request history.
    m_historyKeep = new QComboBox;
    m_historyKeep->setObjectName(QStringLiteral("historyKeepCombo"));
    m_historyKeep->setAccessibleName(tr("What the request history keeps"));
    m_historyKeep->addItem(tr("Every request"), int(RequestHistory::Keep::Everything));
    m_historyKeep->addItem(tr("Requests without their bodies"),
                           int(RequestHistory::Keep::WithoutBodies));
    m_historyKeep->addItem(tr("Nothing"), int(RequestHistory::Keep::Nothing));
    m_historyKeep->setToolTip(tr("The request tester's last requests, kept for the window and "
                                 "`tokenkeeper request`. Secrets are always taken out; what is "
                                 "no longer kept is deleted when you apply."));
    auto *history = new QGroupBox(tr("Request history"));
    auto *historyForm = new QFormLayout(history);
    historyForm->addRow(tr("&Keep:"), m_historyKeep);

    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("settingsError"));
    m_error->setAccessibleName(tr("Problem"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel
                                     | QDialogButtonBox::Apply | QDialogButtonBox::RestoreDefaults);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this,
            &SettingsDialog::applyEdits);
    connect(m_buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this,
            [this] { showSettings(AppSettings()); });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(copying);
    layout->addWidget(refreshing);
    layout->addWidget(locking);
    layout->addWidget(window);
    layout->addWidget(history);
    layout->addWidget(m_error);
    layout->addStretch();
    layout->addWidget(m_buttons);

    showSettings(m_store.settings());
    for (QSpinBox *spin : {m_clipboardClear, m_minLead, m_leadPercent, m_lockWhenIdle}) {
        connect(spin, &QSpinBox::valueChanged, this, &SettingsDialog::updateButtons);
    }
    for (QCheckBox *check : {m_closeToTray, m_startMinimized}) {
        connect(check, &QCheckBox::toggled, this, &SettingsDialog::updateButtons);
    }
    connect(m_historyKeep, &QComboBox::currentIndexChanged, this, &SettingsDialog::updateButtons);
    updateButtons();
}

void SettingsDialog::apply(const AppSettings &settings, SecretClipboard *clipboard,
                           RefreshScheduler &scheduler)
{
    if (clipboard) {
        clipboard->setClearAfter(settings.clipboardClearAfter());
    }
    scheduler.setPolicy(settings.applyTo(scheduler.policy()));
}

void SettingsDialog::showSettings(const AppSettings &settings)
{
    m_clipboardClear->setValue(settings.clipboardClearSeconds);
    m_minLead->setValue(settings.refreshMinLeadSeconds);
    m_leadPercent->setValue(int(std::lround(settings.refreshLeadFraction * 100)));
    m_closeToTray->setChecked(settings.closeToTrayWith(m_trayAvailable));
    m_startMinimized->setChecked(settings.startMinimized);
    m_lockWhenIdle->setValue(settings.lockWhenIdleMinutes);
    m_historyKeep->setCurrentIndex(m_historyKeep->findData(int(settings.requestHistory)));
}

AppSettings SettingsDialog::edited() const
{
    AppSettings settings = m_store.settings();
    settings.clipboardClearSeconds = m_clipboardClear->value();
    settings.refreshMinLeadSeconds = m_minLead->value();
    // The stored fraction is kept unless the percentage shown was changed.
    if (m_leadPercent->value() != int(std::lround(settings.refreshLeadFraction * 100))) {
        settings.refreshLeadFraction = m_leadPercent->value() / 100.0;
    }
    // Left as it was, "follow the tray" stays; a choice made is kept as made.
    if (m_trayAvailable && m_closeToTray->isChecked() != settings.closeToTrayWith(true)) {
        settings.closeToTray = m_closeToTray->isChecked();
    }
    settings.startMinimized = m_startMinimized->isChecked();
    settings.lockWhenIdleMinutes = m_lockWhenIdle->value();
    settings.requestHistory = RequestHistory::Keep(m_historyKeep->currentData().toInt());
    return settings;
}

bool SettingsDialog::applyEdits()
{
    const AppSettings settings = edited();
    if (const QStringList problems = settings.problems(); !problems.isEmpty()) {
        m_error->setText(problems.join(u'\n'));
        m_error->show();
        return false;
    }
    if (const Result<void> saved = m_store.save(settings); !saved) {
        m_error->setText(saved.error().message());
        m_error->show();
        return false;
    }
    m_error->hide();
    apply(settings, m_clipboard, m_scheduler);
    updateButtons();
    return true;
}

void SettingsDialog::accept()
{
    if (applyEdits()) {
        QDialog::accept();
    }
}

void SettingsDialog::updateButtons()
{
    m_buttons->button(QDialogButtonBox::Apply)->setEnabled(edited() != m_store.settings());
}

} // namespace tokenkeeper
