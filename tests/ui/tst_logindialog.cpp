// Logging in from the real window, offscreen, hosting a real agent against
// the demo server and the keychain: a rejection shows the server's words in
// the dialog, the right password makes the profile valid in the list, and a
// session the server revoked shows as "login required"; cancelling a login
// the server is slow to answer leaves the profile logged out.
#include "agent/agent.h"
#include "auth/tokenservice.h"
#include "core/clock.h"
#include "engine/engine.h"
#include "models/itemroles.h"
#include "models/profilelistmodel.h"
#include "scheduler/refreshscheduler.h"
#include "ui/logindialog.h"
#include "ui/mainwindow.h"
#include "ui/secretclipboard.h"
#include "uitestsupport.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QHelpEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPointer>
#include <QPushButton>
#include <QTest>
#include <QToolTip>

#include <memory>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

namespace demo = tokenkeeper::emulator::demo;

namespace {

const QString profileName = QStringLiteral("login sensu");

} // namespace

class TestLoginDialog final : public QObject
{
    Q_OBJECT

    DesktopRig m_rig;
    Emulator &m_emulator = m_rig.emulator();
    SystemClock m_clock;
    MainWindow *m_window = nullptr; // the rig's
    PresetCase m_sensu = presetCase(QStringLiteral("sensu"));

    int state() const { return m_window->model()->index(0).data(StateRole).toInt(); }
    QString statusText() const
    {
        return m_window->model()->index(0).data(StatusTextRole).toString();
    }

    // Ctrl+L, as a user would; the dialog opens without blocking anything.
    LoginDialog *openLogin()
    {
        m_window->activateWindow();
        if (!QTest::qWaitForWindowActive(m_window)) {
            return nullptr;
        }
        QTest::keyClick(m_window, Qt::Key_L, Qt::ControlModifier);
        LoginDialog *dialog = nullptr;
        const bool opened = QTest::qWaitFor([&] {
            dialog = m_window->findChild<LoginDialog *>();
            return dialog && dialog->isVisible();
        });
        return opened ? dialog : nullptr;
    }

    int requests(const QString &path)
    {
        return m_emulator.get(QStringLiteral("/_emulator/stats"))
            .value(QStringLiteral("requests"))
            .toObject()
            .value(path)
            .toInt();
    }

    // A server's words that would be markup, were they read as rich text.
    static QString markup()
    {
        return QStringLiteral("<b>bold</b><img src=\"http://127.0.0.1:1/x\">");
    }

    void serverSays(const QString &words)
    {
        m_emulator.post(QStringLiteral("/_emulator/fault"),
                        {{QStringLiteral("mode"), QStringLiteral("words")},
                         {QStringLiteral("words"), words},
                         {QStringLiteral("target"), QStringLiteral("token")}});
    }

    static void typeSecret(LoginDialog *dialog, const QString &secret)
    {
        auto *edit = child<QLineEdit>(dialog, QStringLiteral("secretEdit"));
        edit->selectAll();
        QTest::keyClicks(edit, secret);
        QCOMPARE(edit->text(), secret);
        QCOMPARE(edit->echoMode(), QLineEdit::Password);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // Added, never logged in.
        QVERIFY(m_rig.addProfile(profileName, m_sensu.preset, DesktopRig::LogIn::No));
        QVERIFY(m_rig.startAgent());
        QVERIFY(m_rig.showWindow(m_clock, SecretClipboard::defaultClearAfter));
        m_window = &m_rig.window();

        QTRY_COMPARE_WITH_TIMEOUT(m_window->model()->rowCount(), 1, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(state(), int(ProfileStatus::State::LoggedOut), 10'000);
        // Logged out: the details offer "Log in…", not "Log out".
        QVERIFY(child<QPushButton>(m_window, QStringLiteral("loginButton"))->isVisible());
        QVERIFY(!child<QPushButton>(m_window, QStringLiteral("logoutButton"))->isVisible());
    }

    void cleanupTestCase() { m_rig.stopAgent(); }

    void login_wrongPassword_showsTheServersWordsInline_andStaysOpen()
    {
        LoginDialog *dialog = openLogin();
        QVERIFY(dialog);
        auto *remember = child<QCheckBox>(dialog, QStringLiteral("rememberCheck"));
        QVERIFY(remember->isVisible());
        QVERIFY(!remember->isChecked()); // off by default
        QVERIFY(!child<QLineEdit>(dialog, QStringLiteral("clientSecretEdit"))->isVisible());
        auto *login = child<QPushButton>(dialog, QStringLiteral("loginButton"));
        QVERIFY(!login->isEnabled()); // nothing typed yet

        typeSecret(dialog, QString::fromLatin1(m_sensu.badSecret));
        QVERIFY(login->isEnabled());
        QTest::mouseClick(login, Qt::LeftButton);
        auto *error = child<QLabel>(dialog, QStringLiteral("errorLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(error->text().contains(m_sensu.rejection), 10'000);
        QVERIFY(error->isVisible());
        QVERIFY(dialog->isVisible());
        QVERIFY(login->isEnabled()); // try again
        QCOMPARE(state(), int(ProfileStatus::State::LoggedOut));
        dialog->reject();
    }

    void login_serversWordsWithMarkup_shownAsText()
    {
        QTRY_VERIFY(!m_window->findChild<LoginDialog *>()); // the last one went
        QPointer<LoginDialog> dialog = openLogin();
        QVERIFY(dialog);
        serverSays(markup());
        typeSecret(dialog, QString::fromLatin1(m_sensu.secret));
        QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("loginButton")),
                          Qt::LeftButton);
        auto *error = child<QLabel>(dialog, QStringLiteral("errorLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(error->text().contains(QStringLiteral("<b>bold</b>")), 10'000);
        QVERIFY2(error->text().contains(QStringLiteral("<img src=")), qPrintable(error->text()));
        QCOMPARE(error->textFormat(), Qt::PlainText);
        m_emulator.post(QStringLiteral("/_emulator/fault"),
                        {{QStringLiteral("mode"), QStringLiteral("none")}});
        dialog->reject();
    }

    void login_cancelWhileTheServerIsSlow_theProfileStaysLoggedOut()
    {
        QTRY_VERIFY(!m_window->findChild<LoginDialog *>()); // the last one went
        QPointer<LoginDialog> dialog = openLogin();
        QVERIFY(dialog);
        typeSecret(dialog, QString::fromLatin1(m_sensu.secret));
        m_emulator.post(QStringLiteral("/_emulator/fault"),
                        {{QStringLiteral("mode"), QStringLiteral("slow")},
                         {QStringLiteral("delayMs"), 1500},
                         {QStringLiteral("target"), QStringLiteral("token")},
                         {QStringLiteral("count"), 1}});
        const int loginsBefore = requests(QStringLiteral("/auth"));
        const int logoutsBefore = requests(QStringLiteral("/auth/logout"));
        QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("loginButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(requests(QStringLiteral("/auth")), loginsBefore + 1, 10'000);
        QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("cancelButton")),
                          Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog, 10'000); // closed and deleted at once

        // The server's late answer opened a session; it is ended, not kept.
        QTRY_COMPARE_WITH_TIMEOUT(requests(QStringLiteral("/auth/logout")), logoutsBefore + 1,
                                  10'000);
        QTest::qWait(200); // room for anything that should not happen
        QCOMPARE(state(), int(ProfileStatus::State::LoggedOut));
        const auto profile = m_rig.engine().scheduler().find(profileName);
        QVERIFY(profile);
        QVERIFY(!m_rig.engine().tokens().cached(profile->id));
        std::optional<Result<TokenSet>> asked;
        m_rig.engine().tokens().token(*profile, 60, this,
                                      [&asked](Result<TokenSet> result) { asked.emplace(result); });
        QTRY_VERIFY_WITH_TIMEOUT(asked.has_value(), 10'000);
        QVERIFY(!*asked);
        QCOMPARE(asked->error().kind(), Error::Kind::NotLoggedIn); // nothing in the keychain
        QVERIFY(child<QPushButton>(m_window, QStringLiteral("loginButton"))->isVisible());
        m_emulator.post(QStringLiteral("/_emulator/fault"),
                        {{QStringLiteral("mode"), QStringLiteral("none")}});
    }

    void login_rightPassword_closesTheDialog_andTheProfileIsValidInTheList()
    {
        QTRY_VERIFY(!m_window->findChild<LoginDialog *>()); // the last one went
        QPointer<LoginDialog> dialog = openLogin();
        QVERIFY(dialog);
        typeSecret(dialog, QString::fromLatin1(m_sensu.secret));
        QTest::keyClick(child<QLineEdit>(dialog, QStringLiteral("secretEdit")), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog, 10'000); // closed and deleted
        QTRY_COMPARE_WITH_TIMEOUT(state(), int(ProfileStatus::State::Valid), 10'000);
        QVERIFY2(statusText().startsWith(QStringLiteral("valid for ")), qPrintable(statusText()));
        QVERIFY(child<QPushButton>(m_window, QStringLiteral("logoutButton"))->isVisible());
        QVERIFY(!child<QPushButton>(m_window, QStringLiteral("loginButton"))->isVisible());
        // The password was not remembered: the profile file says so.
        QVERIFY(!m_rig.engine().scheduler().find(profileName)->rememberPassword);
    }

    void refreshFails_serversWordsWithMarkup_listTooltipAndDetailsShowThemAsText()
    {
        QCOMPARE(state(), int(ProfileStatus::State::Valid));
        serverSays(markup());
        QTest::mouseClick(child<QPushButton>(m_window, QStringLiteral("refreshButton")),
                          Qt::LeftButton);
        const QModelIndex row = m_window->model()->index(0);
        QTRY_VERIFY_WITH_TIMEOUT(row.data(ReasonRole).toString().contains(QStringLiteral("<b>")),
                                 10'000);
        m_emulator.post(QStringLiteral("/_emulator/fault"),
                        {{QStringLiteral("mode"), QStringLiteral("none")}});

        // The details: the labels show the tags as characters.
        auto *lastError = child<QLabel>(m_window, QStringLiteral("detailLastError"));
        QTRY_VERIFY(lastError->text().contains(QStringLiteral("<b>bold</b>")));
        QCOMPARE(lastError->textFormat(), Qt::PlainText);
        QCOMPARE(child<QLabel>(m_window, QStringLiteral("detailStatus"))->textFormat(),
                 Qt::PlainText);

        // The list's tooltip: escaped, so the tags show as characters.
        auto *list = child<QListView>(m_window, QStringLiteral("profileList"));
        QVERIFY(list);
        const QModelIndex shown = list->model()->index(0, 0);
        const QRect rect = list->visualRect(shown);
        QHelpEvent help(QEvent::ToolTip, rect.center(),
                        list->viewport()->mapToGlobal(rect.center()));
        QApplication::sendEvent(list->viewport(), &help);
        QTRY_VERIFY(QToolTip::isVisible());
        const QString tip = QToolTip::text();
        QVERIFY2(tip.contains(QStringLiteral("&lt;b&gt;bold&lt;/b&gt;&lt;img")), qPrintable(tip));
        QVERIFY2(!tip.contains(QStringLiteral("<img")), qPrintable(tip));
        QToolTip::hideText();
        // Back to a valid token for what follows (invalid_grant asked for a login).
        if (state() != int(ProfileStatus::State::Valid)) {
            QPointer<LoginDialog> dialog = openLogin();
            QVERIFY(dialog);
            typeSecret(dialog, QString::fromLatin1(m_sensu.secret));
            QTest::keyClick(child<QLineEdit>(dialog, QStringLiteral("secretEdit")), Qt::Key_Return);
            QTRY_VERIFY_WITH_TIMEOUT(!dialog, 10'000);
        }
        QTRY_COMPARE_WITH_TIMEOUT(state(), int(ProfileStatus::State::Valid), 10'000);
    }

    void revokedSession_afterRefresh_listSaysLoginRequired()
    {
        QCOMPARE(state(), int(ProfileStatus::State::Valid));
        m_emulator.post(QStringLiteral("/_emulator/revoke"),
                        {{QStringLiteral("server"), m_sensu.server}});
        QTest::mouseClick(child<QPushButton>(m_window, QStringLiteral("refreshButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(state(), int(ProfileStatus::State::LoginRequired), 10'000);
        QCOMPARE(statusText(), QStringLiteral("login required"));
        QVERIFY(child<QPushButton>(m_window, QStringLiteral("loginButton"))->isVisible());
        QVERIFY(!child<QPushButton>(m_window, QStringLiteral("copyHeaderButton"))->isEnabled());
    }
};

QTEST_MAIN(TestLoginDialog)
#include "tst_logindialog.moc"
