// The settings dialog, offscreen: it shows what is stored, saves what is
// edited, and puts it to work at once (clipboard, scheduler).
#include "core/clock.h"
#include "fakes.h"
#include "scheduler/refreshscheduler.h"
#include "settings/settingsstore.h"
#include "ui/secretclipboard.h"
#include "ui/settingsdialog.h"
#include "uitestsupport.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace tokenkeeper;
using tokenkeeper::test::child;
using tokenkeeper::test::FakeTokenProvider;
using tokenkeeper::test::ManualWakeTimer;

class TestSettingsDialog final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    ManualClock m_clock;
    ManualWakeTimer m_timer;
    FakeTokenProvider m_source;

    static QPushButton *button(const QDialog &dialog, QDialogButtonBox::StandardButton which)
    {
        return dialog.findChild<QDialogButtonBox *>()->button(which);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void ok_edited_savesAndAppliesAtOnce()
    {
        SettingsStore store(m_dir.filePath(QStringLiteral("ok.conf")));
        SecretClipboard clipboard(QGuiApplication::clipboard());
        RefreshScheduler scheduler(&m_source, &m_timer, m_clock);
        SettingsDialog dialog(store, &clipboard, scheduler, true);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        // What is stored: the defaults.
        auto *clear = child<QSpinBox>(&dialog, QStringLiteral("clipboardClearSpin"));
        auto *minLead = child<QSpinBox>(&dialog, QStringLiteral("minLeadSpin"));
        auto *percent = child<QSpinBox>(&dialog, QStringLiteral("leadPercentSpin"));
        auto *closeToTray = child<QCheckBox>(&dialog, QStringLiteral("closeToTrayCheck"));
        auto *startMinimized = child<QCheckBox>(&dialog, QStringLiteral("startMinimizedCheck"));
        QCOMPARE(clear->value(), 45);
        QCOMPARE(minLead->value(), 60);
        QCOMPARE(percent->value(), 20);
        QVERIFY(closeToTray->isEnabled());
        QVERIFY(closeToTray->isChecked()); // on, with a tray
        QVERIFY(!startMinimized->isChecked());
        QVERIFY(!button(dialog, QDialogButtonBox::Apply)->isEnabled()); // nothing changed

        // Typed as a user would.
        clear->setFocus();
        clear->selectAll();
        QTest::keyClicks(clear, QStringLiteral("20"));
        QCOMPARE(clear->value(), 20);
        QVERIFY(button(dialog, QDialogButtonBox::Apply)->isEnabled());
        minLead->setValue(300);
        percent->setValue(10);
        QTest::mouseClick(closeToTray, Qt::LeftButton);
        QVERIFY(!closeToTray->isChecked());
        QTest::mouseClick(startMinimized, Qt::LeftButton, {},
                          QPoint(4, startMinimized->height() / 2)); // on the box
        QVERIFY(startMinimized->isChecked());
        QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));

        // Applied at once...
        QCOMPARE(clipboard.clearAfter(), std::chrono::milliseconds(20'000));
        QCOMPARE(scheduler.policy().minLeadSeconds, 300);
        QCOMPARE(scheduler.policy().leadFraction, 0.1);
        QCOMPARE(scheduler.policy().backoffCapSeconds, RefreshPolicy().backoffCapSeconds);
        // ...and kept.
        const AppSettings saved = SettingsStore(store.path()).settings();
        QCOMPARE(saved.clipboardClearSeconds, 20);
        QCOMPARE(saved.refreshMinLeadSeconds, 300);
        QCOMPARE(saved.refreshLeadFraction, 0.1);
        QCOMPARE(saved.closeToTray, std::optional<bool>(false));
        QVERIFY(saved.startMinimized);
    }

    void untouched_closeToTray_keepsFollowingTheTray()
    {
        SettingsStore store(m_dir.filePath(QStringLiteral("follow.conf")));
        RefreshScheduler scheduler(&m_source, &m_timer, m_clock);
        SettingsDialog dialog(store, nullptr, scheduler, true);
        child<QSpinBox>(&dialog, QStringLiteral("clipboardClearSpin"))->setValue(60);
        QVERIFY(dialog.applyEdits());
        QVERIFY(!store.settings().closeToTray.has_value());
        QCOMPARE(store.settings().clipboardClearSeconds, 60);
        QVERIFY(!button(dialog, QDialogButtonBox::Apply)->isEnabled());
    }

    void cancel_changesNothing()
    {
        SettingsStore store(m_dir.filePath(QStringLiteral("cancel.conf")));
        SecretClipboard clipboard(QGuiApplication::clipboard());
        RefreshScheduler scheduler(&m_source, &m_timer, m_clock);
        SettingsDialog dialog(store, &clipboard, scheduler, true);
        dialog.show();
        child<QSpinBox>(&dialog, QStringLiteral("clipboardClearSpin"))->setValue(10);
        QTest::mouseClick(button(dialog, QDialogButtonBox::Cancel), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QCOMPARE(clipboard.clearAfter(), SecretClipboard::defaultClearAfter);
        QCOMPARE(store.settings(), AppSettings());
        QVERIFY(!QFile::exists(store.path()));
    }

    void restoreDefaults_showsTheDefaults()
    {
        SettingsStore store(m_dir.filePath(QStringLiteral("defaults.conf")));
        AppSettings edited;
        edited.clipboardClearSeconds = 300;
        edited.closeToTray = false;
        QVERIFY(store.save(edited).ok());
        RefreshScheduler scheduler(&m_source, &m_timer, m_clock);
        SettingsDialog dialog(store, nullptr, scheduler, true);
        QCOMPARE(child<QSpinBox>(&dialog, QStringLiteral("clipboardClearSpin"))->value(), 300);
        QVERIFY(!child<QCheckBox>(&dialog, QStringLiteral("closeToTrayCheck"))->isChecked());
        button(dialog, QDialogButtonBox::RestoreDefaults)->click();
        QCOMPARE(child<QSpinBox>(&dialog, QStringLiteral("clipboardClearSpin"))->value(), 45);
        QVERIFY(child<QCheckBox>(&dialog, QStringLiteral("closeToTrayCheck"))->isChecked());
    }

    void noTray_closeToTrayIsOffAndSaysWhy()
    {
        SettingsStore store(m_dir.filePath(QStringLiteral("notray.conf")));
        RefreshScheduler scheduler(&m_source, &m_timer, m_clock);
        SettingsDialog dialog(store, nullptr, scheduler, false);
        auto *closeToTray = child<QCheckBox>(&dialog, QStringLiteral("closeToTrayCheck"));
        QVERIFY(!closeToTray->isEnabled());
        QVERIFY(!closeToTray->isChecked());
        QVERIFY(child<QLabel>(&dialog, QStringLiteral("noTrayNote")));
        QCOMPARE(child<QCheckBox>(&dialog, QStringLiteral("startMinimizedCheck"))->text(),
                 QStringLiteral("&Start minimized"));
        QVERIFY(dialog.applyEdits());
        QVERIFY(!store.settings().closeToTray.has_value()); // a tray later still counts
    }

    void saveFails_showsWhyAndAppliesNothing()
    {
        // A directory where the file should be: it cannot be written.
        const QString path = m_dir.filePath(QStringLiteral("dir.conf"));
        QVERIFY(QDir().mkpath(path));
        SettingsStore store(path);
        SecretClipboard clipboard(QGuiApplication::clipboard());
        RefreshScheduler scheduler(&m_source, &m_timer, m_clock);
        SettingsDialog dialog(store, &clipboard, scheduler, true);
        dialog.show();
        child<QSpinBox>(&dialog, QStringLiteral("clipboardClearSpin"))->setValue(10);
        QVERIFY(!dialog.applyEdits());
        auto *error = child<QLabel>(&dialog, QStringLiteral("settingsError"));
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(path), qPrintable(error->text()));
        QCOMPARE(clipboard.clearAfter(), SecretClipboard::defaultClearAfter);
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
