// The real main window, offscreen, on an engine in this process (its secrets
// in memory, a manual clock, a wake timer that fires only when told) against
// the demo server: click "Copy header", read the clipboard, watch it being
// cleared; move the clock and watch the countdowns follow; add and delete.
// What the window does with the real keychain: tst_desktopapp.
#include "core/clock.h"
#include "engine/engine.h"
#include "models/itemroles.h"
#include "models/profilelistmodel.h"
#include "profiles/profilestore.h"
#include "secrets/memorysecretstore.h"
#include "ui/mainwindow.h"
#include "ui/profileeditor.h"
#include "uitestsupport.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

namespace {

const QString profileName = QStringLiteral("desk sensu");
const QString sensu = QStringLiteral("sensu");
const QString bearer = QStringLiteral("Authorization: Bearer ");

QClipboard *clipboard()
{
    return QGuiApplication::clipboard();
}

} // namespace

class TestMainWindow final : public QObject
{
    Q_OBJECT

    // The engine's and the window's clock: the countdowns are read against
    // it. The wake timer never fires here, so moving it changes what is
    // shown only.
    ManualClock m_clock;
    DesktopRig m_rig;
    MainWindow *m_window = nullptr; // the rig's

    QListView *list() const { return child<QListView>(m_window, QStringLiteral("profileList")); }

    // Clicks the profile's row in the list, as a user would.
    void clickProfile()
    {
        QListView *view = list();
        QModelIndex row;
        for (int i = 0; i < view->model()->rowCount(); ++i) {
            const QModelIndex index = view->model()->index(i, 0);
            if (index.data().toString() == profileName) {
                row = index;
            }
        }
        QVERIFY(row.isValid());
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(row).center());
        QCOMPARE(view->currentIndex(), row);
        QVERIFY(child<QPushButton>(m_window, QStringLiteral("copyHeaderButton"))->isEnabled());
    }

    bool acceptedByServer(const QString &token) { return m_rig.acceptedByServer(sensu, token); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_rig.startInMemory(m_clock));
        QVERIFY(m_rig.addProfile(profileName, sensu, DesktopRig::LogIn::Yes));
        QVERIFY(m_rig.showWindow(m_clock, std::chrono::milliseconds(1000)));
        m_window = &m_rig.window();

        // The engine has the profile's token: valid, counting down.
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

    // An entry of the profiles file edited by hand into an unusable state
    // shows its reason under the list, as plain text; mended, it goes away.
    void handEditedEntry_showsWhyItIsRefused_asPlainText()
    {
        const QString path = m_rig.engine().profileStore().path();
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray original = file.readAll();
        file.close();
        QJsonObject root = QJsonDocument::fromJson(original).object();
        QJsonArray profiles = root.value(QStringLiteral("profiles")).toArray();
        QJsonObject edited = profiles.first().toObject();
        edited.insert(QStringLiteral("id"), QStringLiteral("../elsewhere"));
        edited.insert(QStringLiteral("name"), QStringLiteral("<b>hand</b> edited"));
        profiles.append(edited);
        root.insert(QStringLiteral("profiles"), profiles);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(root).toJson());
        file.close();
        m_rig.engine().reloadProfiles();

        auto *label = child<QLabel>(m_window, QStringLiteral("refusedProfiles"));
        QVERIFY(label);
        QTRY_VERIFY(label->isVisible());
        QCOMPARE(label->textFormat(), Qt::PlainText);
        QVERIFY2(label->text().contains(QStringLiteral("\"<b>hand</b> edited\"")),
                 qPrintable(label->text()));
        QVERIFY(label->text().contains(QDir::toNativeSeparators(path)));
        QVERIFY(label->text().contains(QStringLiteral("../elsewhere")));
        QCOMPARE(m_window->model()->rowCount(), 1); // the usable profile stays listed

        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(original);
        file.close();
        m_rig.engine().reloadProfiles();
        QTRY_VERIFY(!label->isVisible());
    }

    void cleanupTestCase()
    {
        m_window = nullptr;
        m_rig.stopAgent();
    }

    void copyHeader_click_clipboardHoldsAcceptedHeaderMarkedSecret_thenCleared()
    {
        clickProfile();
        QTest::mouseClick(child<QPushButton>(m_window, QStringLiteral("copyHeaderButton")),
                          Qt::LeftButton);
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
        auto *countdown = child<QLabel>(m_window, QStringLiteral("clipboardStatus"));
        QVERIFY(countdown->isVisible());
        QCOMPARE(countdown->text(), QStringLiteral("Clipboard clears in 0:01"));
        QTRY_VERIFY_WITH_TIMEOUT(clipboard()->text().isEmpty(), 5000);
        QVERIFY(!countdown->isVisible());
    }

    void copyHeader_userCopiesSomethingElse_leftAlone()
    {
        clickProfile();
        QTest::mouseClick(child<QPushButton>(m_window, QStringLiteral("copyHeaderButton")),
                          Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(clipboard()->text().startsWith(bearer), 10'000);

        const QString mine = QStringLiteral("a note of the user's");
        clipboard()->setText(mine);
        QVERIFY(!child<QLabel>(m_window, QStringLiteral("clipboardStatus"))->isVisible());
        QTest::qWait(1500); // past the clear time
        QCOMPARE(clipboard()->text(), mine);
    }

    void keyboard_ctrlCOnTheList_copiesHeader_ctrlShiftC_copiesToken()
    {
        clickProfile();
        QListView *list = this->list();
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

    void filter_ctrlF_typeThenReturn_listHasFocus()
    {
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        auto *filter = child<QLineEdit>(m_window, QStringLiteral("filterEdit"));
        QTest::keyClick(m_window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(filter->hasFocus());
        QTest::keyClicks(filter, QStringLiteral("no such profile"));
        QCOMPARE(list()->model()->rowCount(), 0);
        filter->clear();
        QTest::keyClicks(filter, profileName.left(4));
        QCOMPARE(list()->model()->rowCount(), 1);
        QTest::keyClick(filter, Qt::Key_Return);
        QTRY_VERIFY(list()->hasFocus());
        filter->clear();
    }

    void countdown_clockMoves_detailsAndListFollow()
    {
        clickProfile();
        const QModelIndex row = list()->currentIndex();
        const QDateTime validUntil = row.data(ValidUntilRole).toDateTime();
        QVERIFY(validUntil.isValid());
        auto *status = child<QLabel>(m_window, QStringLiteral("detailStatus"));
        auto *expiry = child<QLabel>(m_window, QStringLiteral("detailExpiry"));
        QSignalSpy listTold(list()->model(), &QAbstractItemModel::dataChanged);
        const auto toldAboutRow = [&listTold, &row] {
            for (const QList<QVariant> &change : std::as_const(listTold)) {
                if (change.at(0).toModelIndex().row() <= row.row()
                    && change.at(1).toModelIndex().row() >= row.row()) {
                    return true;
                }
            }
            return false;
        };

        // The window's own once-a-second tick takes the moved clock to the
        // details and has the list repaint the row.
        m_clock.set(validUntil.addSecs(-252));
        QTRY_COMPARE(status->text(), QStringLiteral("valid for 4:12"));
        QVERIFY2(expiry->text().endsWith(QStringLiteral("(in 4:12)")), qPrintable(expiry->text()));
        QVERIFY(toldAboutRow());
        QVERIFY2(row.data(Qt::AccessibleTextRole).toString().endsWith(u", valid for 4:12"),
                 qPrintable(row.data(Qt::AccessibleTextRole).toString()));

        listTold.clear();
        m_clock.set(validUntil.addSecs(-30));
        QTRY_COMPARE(status->text(), QStringLiteral("expiring in 0:30"));
        QVERIFY(toldAboutRow());
        QVERIFY(row.data(ExpiringRole).toBool()); // the delegate's warning colour

        m_clock.set(validUntil.addSecs(5));
        QTRY_COMPARE(status->text(), QStringLiteral("expired"));
        QVERIFY2(expiry->text().endsWith(QStringLiteral("(0:05 ago)")), qPrintable(expiry->text()));

        // Hidden, nothing ticks; shown again, the window catches up at once,
        // without waiting for its next tick.
        m_window->hide();
        m_clock.set(validUntil.addSecs(-200));
        m_window->show();
        QCOMPARE(status->text(), QStringLiteral("valid for 3:20"));

        m_clock.set(QDateTime::currentDateTimeUtc()); // for the tests that follow
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window));
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
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        QTest::keyClick(m_window, Qt::Key_N, Qt::ControlModifier);
        ProfileEditor *editor = nullptr;
        QTRY_VERIFY((editor = m_window->findChild<ProfileEditor *>()) && editor->isVisible());
        QPointer<ProfileEditor> guard(editor);
        // It starts from the selected profile's preset.
        QCOMPARE(child<QComboBox>(editor, QStringLiteral("presetCombo"))->currentData().toString(),
                 QStringLiteral("sensu"));
        const auto type = [editor](const QString &name, const QString &text) {
            auto *edit = child<QLineEdit>(editor, name);
            QVERIFY(edit);
            QTest::keyClicks(edit, text);
        };
        type(QStringLiteral("nameEdit"), profileName); // taken
        auto *ok = child<QPushButton>(editor, QStringLiteral("okButton"));
        QVERIFY(!ok->isEnabled());
        QVERIFY(child<QLabel>(editor, QStringLiteral("problemLabel"))
                    ->text()
                    .contains(QStringLiteral("exists already")));
        type(QStringLiteral("nameEdit"), QStringLiteral(" 2"));
        type(QStringLiteral("urlEdit"), m_rig.emulator().baseUrl().toString());
        type(QStringLiteral("usernameEdit"), QStringLiteral("admin"));
        QVERIFY(ok->isEnabled());
        QTest::mouseClick(ok, Qt::LeftButton);
        QTRY_VERIFY(!guard);

        const QString added = profileName + QStringLiteral(" 2");
        QCOMPARE(m_window->model()->rowCount(), 2);
        QCOMPARE(list()->currentIndex().data().toString(), added);
        QVERIFY(m_rig.engine().profileStore().find(added));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->index(1).data(StateRole).toInt(),
                                  int(ProfileStatus::State::LoggedOut), 10'000);
        QVERIFY(child<QPushButton>(m_window, QStringLiteral("loginButton"))->isVisible());
    }

    void delete_asksFirst_thenForgetsTheSecretsAndRemovesTheProfile()
    {
        m_window->activateWindow(); // the editor was the active window
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        clickProfile(); // logged in: its secrets are in the (memory) secret store
        const QString id = m_window->model()->index(0).data(ProfileIdRole).toString();
        const QString key = QStringLiteral("profile/") + id;
        QVERIFY(m_rig.memorySecrets().contents().contains(key));
        QListView *list = this->list();
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
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        list->setFocus();
        QTRY_VERIFY(list->hasFocus());
        QTest::keyClick(list, Qt::Key_Delete);
        QTRY_VERIFY((box = m_window->findChild<QMessageBox *>(QStringLiteral("deleteConfirmation")))
                    && box->isVisible());
        QTest::mouseClick(box->findChild<QPushButton *>(QStringLiteral("confirmDeleteButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->rowCount(), 1, 10'000);
        QVERIFY(m_window->model()->index(0).data().toString() != profileName);
        QVERIFY(!m_rig.engine().profileStore().find(profileName));
        QVERIFY(!m_rig.memorySecrets().contents().contains(key));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
