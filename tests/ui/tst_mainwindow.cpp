// The real main window, offscreen, hosting a real agent against the demo
// server: click "Copy header", read the clipboard, watch it being cleared.
#include "agent/agent.h"
#include "auth/tokenservice.h"
#include "core/clock.h"
#include "models/itemroles.h"
#include "models/profilelistmodel.h"
#include "presetcases.h"
#include "profiles/profilestore.h"
#include "testsupport.h"
#include "ui/mainwindow.h"
#include "ui/profileeditor.h"
#include "ui/secretclipboard.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QTest>

#include <memory>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

namespace {

const QString profileName = QStringLiteral("desk sensu");
const QString bearer = QStringLiteral("Authorization: Bearer ");

QClipboard *clipboard()
{
    return QGuiApplication::clipboard();
}

} // namespace

class TestMainWindow final : public QObject
{
    Q_OBJECT

    Emulator m_emulator;
    std::unique_ptr<Cli> m_cli;
    std::unique_ptr<Agent> m_agent;
    SystemClock m_clock;
    std::unique_ptr<SecretClipboard> m_clipboard;
    std::unique_ptr<MainWindow> m_window;
    QString m_apiPath;

    template<typename T> T *child(const QString &name) const
    {
        auto *widget = m_window->findChild<T *>(name);
        if (!widget) {
            qWarning("no %s", qPrintable(name));
        }
        return widget;
    }

    // Clicks the profile's row in the list, as a user would.
    void clickProfile()
    {
        auto *list = child<QListView>(QStringLiteral("profileList"));
        QModelIndex row;
        for (int i = 0; i < list->model()->rowCount(); ++i) {
            const QModelIndex index = list->model()->index(i, 0);
            if (index.data().toString() == profileName) {
                row = index;
            }
        }
        QVERIFY(row.isValid());
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(row).center());
        QCOMPARE(list->currentIndex(), row);
        QVERIFY(child<QPushButton>(QStringLiteral("copyHeaderButton"))->isEnabled());
    }

    // Whether the keychain has an entry for the profile id. secret-tool prints the
    // attributes (which name the id) on standard error, the item itself on standard output.
    static bool keychainHolds(const QString &id)
    {
        QProcess lookup;
        lookup.setProcessChannelMode(QProcess::MergedChannels);
        lookup.start(QStringLiteral("secret-tool"),
                     {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("user"),
                      QStringLiteral("profile/") + id});
        return lookup.waitForFinished(10'000)
            && lookup.readAll().contains(QByteArray(QByteArrayLiteral("profile/") + id.toUtf8()));
    }

    bool acceptedByServer(const QString &token)
    {
        return m_emulator.call(QByteArrayLiteral("GET"), m_apiPath, token.toUtf8()) == 200;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_emulator.start());
        m_cli = std::make_unique<Cli>();
        PresetCase sensu;
        for (const PresetCase &c : presetCases()) {
            if (c.preset == u"sensu") {
                sensu = c;
            }
        }
        m_apiPath = sensu.apiPath;
        const auto added =
            m_cli->run(QStringList {QStringLiteral("profile"), QStringLiteral("add"), profileName,
                                    QStringLiteral("--preset"), sensu.preset,
                                    QStringLiteral("--url"), m_emulator.baseUrl().toString()}
                       + sensu.addArgs);
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        const auto login = m_cli->run({QStringLiteral("login"), profileName}, sensu.secret + '\n');
        QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));

        // The app reads the same profiles and runs its agent where the Cli looks for one.
        m_cli->shareEnvironmentWithThisProcess(); // the in-process agent uses the same dirs
        m_agent = std::make_unique<Agent>(Agent::Setup::fromEnvironment());
        const Result<void> started = m_agent->start();
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(started.error().message()));

        m_clipboard = std::make_unique<SecretClipboard>(clipboard());
        m_clipboard->setClearAfter(std::chrono::milliseconds(1000));
        m_window = std::make_unique<MainWindow>(*m_agent, m_clock, m_clipboard.get());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));

        // The agent looked at the profile on start: its token is valid, counting down.
        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->rowCount(), 1, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->index(0).data(StateRole).toInt(),
                                  int(ProfileStatus::State::Valid), 15'000);
        QVERIFY2(m_window->model()
                     ->index(0)
                     .data(StatusTextRole)
                     .toString()
                     .startsWith(QStringLiteral("valid for ")),
                 qPrintable(m_window->model()->index(0).data(StatusTextRole).toString()));
    }

    void init() { clipboard()->clear(); }

    void cleanupTestCase()
    {
        m_window.reset();
        m_clipboard.reset();
        m_agent.reset();
    }

    void copyHeader_click_clipboardHoldsAcceptedHeaderMarkedSecret_thenCleared()
    {
        clickProfile();
        QTest::mouseClick(child<QPushButton>(QStringLiteral("copyHeaderButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(clipboard()->text().startsWith(bearer), 10'000);

        const QString text = clipboard()->text();
        QVERIFY(acceptedByServer(text.mid(bearer.size())));
        const QMimeData *mime = clipboard()->mimeData();
        QVERIFY(mime);
        QCOMPARE(mime->data(QStringLiteral("x-kde-passwordManagerHint")),
                 QByteArrayLiteral("secret"));
        QVERIFY(mime->hasFormat(QStringLiteral("ExcludeClipboardContentFromMonitorProcessing")));
        QVERIFY(mime->hasFormat(QStringLiteral("application/x-nspasteboard-concealed-type")));

        // The status bar counts down, and the clipboard is empty once the time is up.
        auto *countdown = child<QLabel>(QStringLiteral("clipboardStatus"));
        QVERIFY(countdown->isVisible());
        QCOMPARE(countdown->text(), QStringLiteral("Clipboard clears in 0:01"));
        QTRY_VERIFY_WITH_TIMEOUT(clipboard()->text().isEmpty(), 5000);
        QVERIFY(!countdown->isVisible());
    }

    void copyHeader_userCopiesSomethingElse_leftAlone()
    {
        clickProfile();
        QTest::mouseClick(child<QPushButton>(QStringLiteral("copyHeaderButton")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(clipboard()->text().startsWith(bearer), 10'000);

        const QString mine = QStringLiteral("a note of the user's");
        clipboard()->setText(mine);
        QVERIFY(!child<QLabel>(QStringLiteral("clipboardStatus"))->isVisible());
        QTest::qWait(1500); // past the clear time
        QCOMPARE(clipboard()->text(), mine);
    }

    void keyboard_ctrlCOnTheList_copiesHeader_ctrlShiftC_copiesToken()
    {
        clickProfile();
        auto *list = child<QListView>(QStringLiteral("profileList"));
        list->setFocus();
        QTRY_VERIFY(list->hasFocus());

        QTest::keyClick(list, Qt::Key_C, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(clipboard()->text().startsWith(bearer), 10'000);
        const QString token = clipboard()->text().mid(bearer.size());

        clipboard()->clear();
        QTest::keyClick(list, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY_WITH_TIMEOUT(!clipboard()->text().isEmpty(), 10'000);
        QCOMPARE(clipboard()->text(), token); // still valid for a minute: the same token
        QVERIFY(acceptedByServer(clipboard()->text()));
        QCOMPARE(clipboard()->mimeData()->data(QStringLiteral("x-kde-passwordManagerHint")),
                 QByteArrayLiteral("secret"));
    }

    void everyControl_hasAnAccessibleName()
    {
        const auto widgets = m_window->findChildren<QWidget *>();
        for (QWidget *widget : widgets) {
            if (qobject_cast<QLineEdit *>(widget->parentWidget())
                || widget->objectName().startsWith(u"qt_")) {
                continue; // Qt's own parts: a line edit's clear button, the menu bar's "more"
            }
            const bool control = qobject_cast<QAbstractButton *>(widget)
                || qobject_cast<QAbstractItemView *>(widget) || qobject_cast<QLineEdit *>(widget)
                || (qobject_cast<QLabel *>(widget) && !widget->objectName().isEmpty());
            if (control) {
                QVERIFY2(!widget->accessibleName().isEmpty(),
                         qPrintable(QString::fromLatin1(widget->metaObject()->className()) + u' '
                                    + widget->objectName()));
            }
        }
    }

    void add_ctrlN_theEditorAddsAProfile_selectedAndLoggedOut()
    {
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTest::keyClick(m_window.get(), Qt::Key_N, Qt::ControlModifier);
        ProfileEditor *editor = nullptr;
        QTRY_VERIFY((editor = m_window->findChild<ProfileEditor *>()) && editor->isVisible());
        QPointer<ProfileEditor> guard(editor);
        // It starts from the selected profile's preset.
        QCOMPARE(child<QComboBox>(QStringLiteral("presetCombo"))->currentData().toString(),
                 QStringLiteral("sensu"));
        const auto type = [editor](const QString &name, const QString &text) {
            auto *edit = editor->findChild<QLineEdit *>(name);
            QVERIFY(edit);
            QTest::keyClicks(edit, text);
        };
        type(QStringLiteral("nameEdit"), profileName); // taken
        auto *ok = child<QPushButton>(QStringLiteral("okButton"));
        QVERIFY(!ok->isEnabled());
        QVERIFY(child<QLabel>(QStringLiteral("problemLabel"))
                    ->text()
                    .contains(QStringLiteral("exists already")));
        type(QStringLiteral("nameEdit"), QStringLiteral(" 2"));
        type(QStringLiteral("urlEdit"), m_emulator.baseUrl().toString());
        type(QStringLiteral("usernameEdit"), QStringLiteral("admin"));
        QVERIFY(ok->isEnabled());
        QTest::mouseClick(ok, Qt::LeftButton);
        QTRY_VERIFY(!guard);

        const QString added = profileName + QStringLiteral(" 2");
        QCOMPARE(m_window->model()->rowCount(), 2);
        QCOMPARE(child<QListView>(QStringLiteral("profileList"))->currentIndex().data().toString(),
                 added);
        QVERIFY(m_agent->profileStore().find(added));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->index(1).data(StateRole).toInt(),
                                  int(ProfileStatus::State::LoggedOut), 10'000);
        QVERIFY(child<QPushButton>(QStringLiteral("loginButton"))->isVisible());
    }

    void delete_asksFirst_thenForgetsTheSecretsAndRemovesTheProfile()
    {
        m_window->activateWindow(); // the editor was the active window
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        clickProfile(); // logged in: its secrets are in the keychain
        const QString id = m_window->model()->index(0).data(ProfileIdRole).toString();
        QVERIFY(keychainHolds(id));
        auto *list = child<QListView>(QStringLiteral("profileList"));
        list->setFocus();
        QTRY_VERIFY(list->hasFocus());

        // Cancel leaves everything as it was.
        QTest::keyClick(list, Qt::Key_Delete);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(QStringLiteral("deleteConfirmation")))
                    && box->isVisible());
        QVERIFY(box->text().contains(profileName));
        QTest::mouseClick(box->button(QMessageBox::Cancel), Qt::LeftButton);
        QTRY_VERIFY(!m_window->findChild<QMessageBox *>(QStringLiteral("deleteConfirmation")));
        QCOMPARE(m_window->model()->rowCount(), 2);

        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        list->setFocus();
        QTRY_VERIFY(list->hasFocus());
        QTest::keyClick(list, Qt::Key_Delete);
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(QStringLiteral("deleteConfirmation")))
                    && box->isVisible());
        QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("confirmDeleteButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->rowCount(), 1, 10'000);
        QVERIFY(m_window->model()->index(0).data().toString() != profileName);
        QVERIFY(!m_agent->profileStore().find(profileName));
        QVERIFY(!keychainHolds(id));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
