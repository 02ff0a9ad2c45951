// The desktop app's settings: defaults, a round trip through the file, a
// hand-edited file brought into range, and what they make of the policy.
#include "settings/appsettings.h"
#include "settings/settingsstore.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace tokenkeeper;

class TestSettingsStore final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void defaultPath_isUnderTheConfigDirectory()
    {
        QVERIFY(SettingsStore::defaultPath().startsWith(
            QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)));
        QVERIFY(SettingsStore::defaultPath().endsWith(QStringLiteral("/tokenkeeper/desktop.conf")));
    }

    void load_noFile_givesDefaults()
    {
        const SettingsStore store(path(QStringLiteral("none/desktop.conf")));
        const AppSettings &settings = store.settings();
        QCOMPARE(settings, AppSettings());
        QCOMPARE(settings.clipboardClearSeconds, 45);
        QCOMPARE(settings.clipboardClearAfter(), std::chrono::milliseconds(45'000));
        QCOMPARE(settings.refreshMinLeadSeconds, RefreshPolicy().minLeadSeconds);
        QCOMPARE(settings.refreshLeadFraction, RefreshPolicy().leadFraction);
        QVERIFY(!settings.closeToTray.has_value());
        QVERIFY(!settings.startMinimized);
    }

    void closeToTray_unset_followsTheTray()
    {
        AppSettings settings;
        QVERIFY(settings.closeToTrayWith(true));
        QVERIFY(!settings.closeToTrayWith(false));
        settings.closeToTray = false;
        QVERIFY(!settings.closeToTrayWith(true));
        settings.closeToTray = true;
        QVERIFY(!settings.closeToTrayWith(false)); // no tray, nowhere to go
    }

    void save_thenLoad_roundTrips()
    {
        const QString file = path(QStringLiteral("sub/dir/desktop.conf"));
        AppSettings settings;
        settings.clipboardClearSeconds = 90;
        settings.refreshMinLeadSeconds = 120;
        settings.refreshLeadFraction = 0.35;
        settings.closeToTray = false;
        settings.startMinimized = true;
        settings.lockWhenIdleMinutes = 15;
        {
            SettingsStore store(file);
            QSignalSpy changed(&store, &SettingsStore::changed);
            const Result<void> saved = store.save(settings);
            QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().message()));
            QCOMPARE(changed.count(), 1);
            QCOMPARE(store.settings(), settings);
        }
        const SettingsStore reopened(file);
        QCOMPARE(reopened.settings(), settings);

        // Back to "follow the tray": the key goes.
        settings.closeToTray.reset();
        {
            SettingsStore store(file);
            QVERIFY(store.save(settings).ok());
        }
        QVERIFY(
            !QSettings(file, QSettings::IniFormat).contains(QStringLiteral("window/closeToTray")));
        QCOMPARE(SettingsStore(file).settings(), settings);
    }

    void save_outOfRange_isRefusedAndNothingChanges()
    {
        const QString file = path(QStringLiteral("refused.conf"));
        SettingsStore store(file);
        QSignalSpy changed(&store, &SettingsStore::changed);
        AppSettings settings;
        settings.clipboardClearSeconds = 1;
        settings.refreshLeadFraction = 0.9;
        QCOMPARE(settings.problems().size(), 2);
        const Result<void> saved = store.save(settings);
        QVERIFY(!saved.ok());
        QCOMPARE(saved.error().kind(), Error::Kind::Usage);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(store.settings(), AppSettings());
        QVERIFY(!QFile::exists(file));
    }

    void load_handEditedFile_isBroughtIntoRange()
    {
        const QString file = path(QStringLiteral("edited.conf"));
        {
            QSettings edit(file, QSettings::IniFormat);
            edit.setValue(QStringLiteral("clipboard/clearAfterSeconds"), 0);
            edit.setValue(QStringLiteral("refresh/minLeadSeconds"), QStringLiteral("soon"));
            edit.setValue(QStringLiteral("refresh/leadFraction"), 7);
            edit.setValue(QStringLiteral("window/closeToTray"), QStringLiteral("maybe"));
            edit.setValue(QStringLiteral("window/startMinimized"), QStringLiteral("true"));
        }
        const AppSettings settings = SettingsStore(file).settings();
        QCOMPARE(settings.clipboardClearSeconds, AppSettings::minClipboardClearSeconds);
        QCOMPARE(settings.refreshMinLeadSeconds, AppSettings().refreshMinLeadSeconds);
        QCOMPARE(settings.refreshLeadFraction, AppSettings::maxRefreshLeadFraction);
        QCOMPARE(settings.closeToTray, std::optional<bool>(true)); // unreadable: the default
        QVERIFY(settings.startMinimized);
        QVERIFY(settings.problems().isEmpty());
    }

    void applyTo_setsTheLeadAndKeepsTheRest()
    {
        RefreshPolicy policy;
        policy.backoffCapSeconds = 17;
        AppSettings settings;
        settings.refreshMinLeadSeconds = 300;
        settings.refreshLeadFraction = 0.1;
        const RefreshPolicy applied = settings.applyTo(policy);
        QCOMPARE(applied.minLeadSeconds, 300);
        QCOMPARE(applied.leadFraction, 0.1);
        QCOMPARE(applied.backoffCapSeconds, 17);
        // The larger of the two: 10% of an hour is 360 s; of 20 minutes, 120 s < 300 s.
        QCOMPARE(applied.leadSeconds(3600), qint64(360));
        QCOMPARE(applied.leadSeconds(1200), qint64(300));
    }
};

QTEST_GUILESS_MAIN(TestSettingsStore)
#include "tst_settingsstore.moc"
