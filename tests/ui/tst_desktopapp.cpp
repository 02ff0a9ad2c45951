// The desktop app put together (DesktopApp), offscreen, on a real agent and
// the demo server: with no keychain, "Keep tokens in memory only" lets a
// login work while nothing reaches the keychain.
#include "agent/agent.h"
#include "auth/tokenservice.h"
#include "instance/singleinstance.h"
#include "models/itemroles.h"
#include "models/profilelistmodel.h"
#include "presetcases.h"
#include "scheduler/profilestatus.h"
#include "scheduler/refreshscheduler.h"
#include "testsupport.h"
#include "ui/desktopapp.h"
#include "ui/keychainbanner.h"
#include "ui/mainwindow.h"
#include "ui/secretclipboard.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

namespace {

const QString profileName = QStringLiteral("memory sensu");

// Whether the keychain has an entry for the profile id (as tst_mainwindow).
bool keychainHolds(const QString &id)
{
    QProcess lookup;
    lookup.setProcessChannelMode(QProcess::MergedChannels);
    lookup.start(QStringLiteral("secret-tool"),
                 {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("user"),
                  QStringLiteral("profile/") + id});
    return lookup.waitForFinished(10'000)
        && lookup.readAll().contains(QByteArray(QByteArrayLiteral("profile/") + id.toUtf8()));
}

} // namespace

class TestDesktopApp final : public QObject
{
    Q_OBJECT

    Emulator m_emulator;
    std::unique_ptr<Cli> m_cli;
    PresetCase m_sensu;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_emulator.start());
        QVERIFY(m_dir.isValid());
        m_cli = std::make_unique<Cli>();
        for (const PresetCase &c : presetCases()) {
            if (c.preset == u"sensu") {
                m_sensu = c;
            }
        }
        const auto added =
            m_cli->run(QStringList {QStringLiteral("profile"), QStringLiteral("add"), profileName,
                                    QStringLiteral("--preset"), m_sensu.preset,
                                    QStringLiteral("--url"), m_emulator.baseUrl().toString()}
                       + m_sensu.addArgs);
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        m_cli->shareEnvironmentWithThisProcess(); // the in-process agent uses the same dirs
    }

    void memoryOnly_afterKeychainFailure_loginWorks_keychainUntouched()
    {
        Agent agent(Agent::Setup::fromEnvironment());
        const Result<void> started = agent.start();
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(started.error().message()));
        SingleInstance instance(m_dir.filePath(QStringLiteral("desktop.sock")));
        DesktopApp desktop(agent, instance, m_dir.filePath(QStringLiteral("desktop.conf")));
        desktop.start();
        MainWindow &window = desktop.window();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QTRY_COMPARE_WITH_TIMEOUT(window.model()->rowCount(), 1, 10'000);
        const QString id = window.model()->index(0).data(ProfileIdRole).toString();
        QVERIFY(!id.isEmpty());
        QVERIFY(!keychainHolds(id));
        // The first look at the profile (a keychain read) has ended: the failure
        // below stands for its answer.
        QTRY_VERIFY_WITH_TIMEOUT(!agent.tokens().busy(), 10'000);

        // The keychain fails (as a missing Secret Service would make it).
        KeychainBanner &banner = desktop.banner();
        QVERIFY(!banner.isVisible());
        Q_EMIT agent.tokens().tokenFailed(
            id, Error(Error::Kind::Keychain, QStringLiteral("No keyring daemon")));
        QVERIFY(banner.isVisible());
        auto *memoryOnly =
            banner.findChild<QPushButton *>(QStringLiteral("keychainMemoryOnlyButton"));
        QVERIFY(memoryOnly->isVisible());

        QTest::mouseClick(memoryOnly, Qt::LeftButton);
        QVERIFY(agent.usesMemorySecrets());
        QVERIFY(banner.isVisible());
        QVERIFY(banner.isMemoryOnly());
        QVERIFY2(banner.message().contains(QStringLiteral("until Tokenkeeper quits")),
                 qPrintable(banner.message()));
        QVERIFY(banner.message().contains(QStringLiteral("Log in")));
        QVERIFY(!memoryOnly->isVisible());
        QVERIFY(
            !banner.findChild<QPushButton *>(QStringLiteral("keychainRetryButton"))->isVisible());

        // Log in through the window's login dialog.
        QVERIFY(window.selectProfile(id));
        window.logIn();
        QDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<QDialog *>(QStringLiteral("loginDialog"))));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("secretEdit")),
                         QString::fromUtf8(m_sensu.secret));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("loginButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(window.model()->index(0).data(StateRole).toInt(),
                                  int(ProfileStatus::State::Valid), 15'000);

        // Copy from the tray's path: the token works, and nothing is in the keychain.
        QSignalSpy copied(&window, &MainWindow::copyFinished);
        window.copyHeaderOf(id);
        QTRY_COMPARE_WITH_TIMEOUT(copied.count(), 1, 10'000);
        QVERIFY2(copied.at(0).at(1).toBool(), qPrintable(copied.at(0).at(2).toString()));
        const QString header = QGuiApplication::clipboard()->text();
        QVERIFY(header.startsWith(QStringLiteral("Authorization: Bearer ")));
        QCOMPARE(m_emulator.call(QByteArrayLiteral("GET"), m_sensu.apiPath,
                                 header.mid(int(qstrlen("Authorization: Bearer "))).toUtf8()),
                 200);
        QVERIFY(!keychainHolds(id));

        // A later keychain failure (a read started before) does not bring the failure back.
        Q_EMIT agent.tokens().tokenFailed(id, Error(Error::Kind::Keychain, QStringLiteral("late")));
        QVERIFY(banner.isMemoryOnly());
        QVERIFY(!banner.message().contains(QStringLiteral("late")));

        bool stopped = false;
        agent.stop(5000, [&stopped] { stopped = true; });
        QTRY_VERIFY(stopped);
    }

    void settingsAction_ctrlComma_inTheFileMenu_asksForSettings()
    {
        Agent agent(Agent::Setup::fromEnvironment());
        QVERIFY(agent.start().ok());
        const SystemClock clock;
        SecretClipboard clipboard(QGuiApplication::clipboard());
        MainWindow window(agent, clock, &clipboard);
        QAction *settings = window.settingsAction();
        QCOMPARE(settings->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Comma));
        QCOMPARE(settings->menuRole(), QAction::PreferencesRole);
        QSignalSpy requested(&window, &MainWindow::settingsRequested);
        settings->trigger();
        QCOMPARE(requested.count(), 1);
    }
};

QTEST_MAIN(TestDesktopApp)
#include "tst_desktopapp.moc"
