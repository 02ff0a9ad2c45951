// The request tester in the real main window, offscreen, on an engine in this
// process (secrets in memory, a manual clock) against the demo server: send, see the answer, a 401
// renewed and retried, the server's reason after a second 401, the other-host guard, Cancel, a 10
// MiB answer shown in part, the history (no token in it) and "Copy as curl".
#include "auth/tokenservice.h"
#include "core/clock.h"
#include "engine/engine.h"
#include "profiles/profilestore.h"
#include "request/requesthistory.h"
#include "settings/settingsstore.h"
#include "ui/mainwindow.h"
#include "ui/requestpane.h"
#include "ui/secretclipboard.h"
#include "uitestsupport.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

namespace {

const QString profileName = QStringLiteral("desk oauth");
const QString preset = QStringLiteral("oauth2-password");
const QString echoPath = QStringLiteral("/oauth/api/echo");

QStringList itemTexts(const QListWidget *list)
{
    QStringList texts;
    for (int i = 0; i < list->count(); ++i) {
        texts << list->item(i)->text();
    }
    return texts;
}

} // namespace

class TestRequestPane final : public QObject
{
    Q_OBJECT

    ManualClock m_clock;
    DesktopRig m_rig;
    MainWindow *m_window = nullptr;
    RequestPane *m_pane = nullptr;
    QString m_profileId;

    template<typename T> T *get(const QString &name) const { return child<T>(m_pane, name); }

    QLineEdit *target() const { return get<QLineEdit>(QStringLiteral("requestTarget")); }
    QLabel *status() const { return get<QLabel>(QStringLiteral("responseStatus")); }
    QPushButton *sendButton() const { return get<QPushButton>(QStringLiteral("sendButton")); }
    QString responseBody() const
    {
        return get<QPlainTextEdit>(QStringLiteral("responseBody"))->toPlainText();
    }
    QStringList timeline() const
    {
        return itemTexts(get<QListWidget>(QStringLiteral("requestTimeline")));
    }
    QListWidget *history() const { return get<QListWidget>(QStringLiteral("requestHistory")); }

    void typeRequest(const QString &method, const QString &path, const QString &headers = {},
                     const QString &body = {})
    {
        auto *methodBox = get<QComboBox>(QStringLiteral("requestMethod"));
        methodBox->setCurrentText(method);
        target()->clear();
        QTest::keyClicks(target(), path);
        get<QPlainTextEdit>(QStringLiteral("requestHeaders"))->setPlainText(headers);
        get<QPlainTextEdit>(QStringLiteral("requestBody"))->setPlainText(body);
    }

    // Sends with a click and waits for the answer; the outcome.
    RequestOutcome sendAndWait()
    {
        QSignalSpy finished(m_pane, &RequestPane::requestFinished);
        [&] { QVERIFY(sendButton()->isEnabled()); }();
        QTest::mouseClick(sendButton(), Qt::LeftButton);
        [&] { QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15'000); }();
        return finished.isEmpty() ? RequestOutcome {}
                                  : finished.first().first().value<RequestOutcome>();
    }

    // An emulator fault on the protected endpoints; count 0: until cleared.
    void fault(const QString &mode, int count = 0, int delayMs = 0)
    {
        QJsonObject plan {{QStringLiteral("mode"), mode},
                          {QStringLiteral("target"), QStringLiteral("api")},
                          {QStringLiteral("count"), count}};
        if (delayMs > 0) {
            plan.insert(QStringLiteral("delayMs"), delayMs);
        }
        m_rig.emulator().post(QStringLiteral("/_emulator/fault"), plan);
    }

    int refreshes()
    {
        return m_rig.emulator()
            .get(QStringLiteral("/_emulator/stats"))
            .value(QStringLiteral("refreshes"))
            .toObject()
            .value(QStringLiteral("oauth2"))
            .toInt();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<RequestOutcome>();
        QVERIFY(m_rig.startInMemory(m_clock));
        QVERIFY(m_rig.addProfile(profileName, preset, DesktopRig::LogIn::Yes));
        QVERIFY(m_rig.showWindow(m_clock, std::chrono::milliseconds(2000)));
        m_window = &m_rig.window();
        QVERIFY(m_window->selectProfile(profileName));
        m_pane = m_window->requestPane();
        QVERIFY(m_pane);
        auto *tabs = child<QTabWidget>(m_window, QStringLiteral("detailTabs"));
        QVERIFY(tabs);
        tabs->setCurrentWidget(m_pane);
        QTRY_VERIFY(m_pane->isVisible());
        m_profileId = m_rig.engine().profileStore().find(profileName)->id;
    }

    void cleanupTestCase() { m_rig.stopAgent(); }

    void cleanup() { fault(QStringLiteral("none")); }

    void send_echo_showsAnswerHeadersAndHistory()
    {
        typeRequest(QStringLiteral("POST"), echoPath, QStringLiteral("X-Trace: abc-123"),
                    QStringLiteral(R"({"hello": "world"})"));
        const RequestOutcome outcome = sendAndWait();
        QVERIFY(outcome.response);
        QCOMPARE(outcome.response->status, 200);
        QVERIFY2(status()->text().startsWith(QStringLiteral("200 OK")),
                 qPrintable(status()->text()));
        // Indented JSON: the server saw our method, header, body and content type.
        const QString body = responseBody();
        QVERIFY2(body.contains(QStringLiteral("\"method\": \"POST\"")), qPrintable(body));
        QVERIFY(body.contains(QStringLiteral("\"x-trace\": \"abc-123\"")));
        QVERIFY(body.contains(QStringLiteral("\"content-type\": \"application/json\"")));
        QVERIFY(body.contains(QStringLiteral(R"(\"hello\")")));
        // Raw: as received, on one line.
        get<QCheckBox>(QStringLiteral("responseRaw"))->setChecked(true);
        QVERIFY(responseBody().startsWith(QStringLiteral("{\"body\":")));
        get<QCheckBox>(QStringLiteral("responseRaw"))->setChecked(false);
        QVERIFY(get<QPlainTextEdit>(QStringLiteral("responseHeaders"))
                    ->toPlainText()
                    .contains(QStringLiteral("Content-Type: application/json")));

        QTRY_COMPARE(history()->count(), 1); // kept once the keychain's secrets are known
        QVERIFY(history()->item(0)->text().contains(echoPath));
        // Kept across restarts, and without the token.
        RequestHistory reread(m_rig.engine().options().historyPath);
        QVERIFY(reread.load());
        QCOMPARE(reread.entries(m_profileId).size(), 1);
        QCOMPARE(reread.entries(m_profileId).first().request.method, QByteArray("POST"));
        QFile file(m_rig.engine().options().historyPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray kept = file.readAll();
        const auto token = m_rig.engine().tokens().cached(m_profileId);
        QVERIFY(token && !token->accessToken.isEmpty());
        QVERIFY2(!kept.contains(token->accessToken.toUtf8()), "the history holds the token");
        QVERIFY(!kept.contains("Authorization"));
    }

    void serversWordsWithMarkup_shownAsText()
    {
        const QString markup = QStringLiteral("<b>bold</b><img src=\"http://127.0.0.1:1/x\">");
        m_rig.emulator().post(QStringLiteral("/_emulator/fault"),
                              {{QStringLiteral("mode"), QStringLiteral("words")},
                               {QStringLiteral("words"), markup},
                               {QStringLiteral("target"), QStringLiteral("api")},
                               {QStringLiteral("count"), 1}});
        typeRequest(QStringLiteral("GET"), QStringLiteral("/oauth/api/me"));
        const RequestOutcome outcome = sendAndWait();
        QVERIFY(outcome.response);
        QCOMPARE(outcome.response->status, 400);
        QVERIFY2(status()->text().contains(markup), qPrintable(status()->text()));
        QCOMPARE(status()->textFormat(), Qt::PlainText);
        for (const QLabel *label : m_pane->findChildren<QLabel *>()) {
            QVERIFY2(label->textFormat() == Qt::PlainText || !label->text().contains(u'<'),
                     qPrintable(label->text()));
        }
        QVERIFY(responseBody().contains(QStringLiteral("<b>bold</b>")));
    }

    void unauthorizedOnce_renewsAndRetries()
    {
        const int before = refreshes();
        fault(QStringLiteral("401"), 1);
        typeRequest(QStringLiteral("GET"), QStringLiteral("/oauth/api/me"));
        const RequestOutcome outcome = sendAndWait();
        QVERIFY(outcome.response);
        QCOMPARE(outcome.response->status, 200);
        QVERIFY(outcome.retried);
        QCOMPARE(refreshes(), before + 1);
        QVERIFY(status()->text().contains(QStringLiteral("after renewing the token")));
        const QString steps = timeline().join(u'\n');
        QVERIFY2(steps.contains(QStringLiteral("Token rejected (injected fault).")),
                 qPrintable(steps));
        QVERIFY(steps.contains(QStringLiteral("New token from the agent")));
        QCOMPARE(steps.count(QStringLiteral("GET ")), 2);
        // The timeline is shown, so that the user sees what happened.
        QCOMPARE(get<QTabWidget>(QStringLiteral("responseTabs"))->currentIndex(), 2);
    }

    void unauthorizedAgain_showsTheServersReason()
    {
        const int before = refreshes();
        fault(QStringLiteral("401"));
        typeRequest(QStringLiteral("GET"), QStringLiteral("/oauth/api/me"));
        const RequestOutcome outcome = sendAndWait();
        QVERIFY(outcome.response);
        QCOMPARE(outcome.response->status, 401);
        QCOMPARE(refreshes(), before + 1); // one renewal, then the answer stands
        QVERIFY2(status()->text().contains(QStringLiteral("Token rejected (injected fault).")),
                 qPrintable(status()->text()));
        QVERIFY(timeline().join(u'\n').contains(QStringLiteral("refused the new token too")));
    }

    void otherHost_isSaidAndNeedsConsent()
    {
        typeRequest(QStringLiteral("GET"), QStringLiteral("http://localhost:9/anything"));
        auto *warning = get<QWidget>(QStringLiteral("otherHostWarning"));
        auto *consent = get<QCheckBox>(QStringLiteral("otherHostConsent"));
        QVERIFY(warning->isVisible());
        QVERIFY(get<QLabel>(QStringLiteral("otherHostText"))
                    ->text()
                    .contains(QStringLiteral("localhost:9")));
        QVERIFY(!sendButton()->isEnabled());
        QTest::keyClick(target(), Qt::Key_Return, Qt::ControlModifier); // nothing goes
        QCOMPARE(status()->text().contains(QStringLiteral("Sending")), false);
        consent->setChecked(true);
        QVERIFY(sendButton()->isEnabled()); // (not sent: no traffic off 127.0.0.1)
        typeRequest(QStringLiteral("GET"), echoPath);
        QVERIFY(!warning->isVisible());
        QVERIFY(!consent->isChecked()); // consent is for that one host only
        QVERIFY(sendButton()->isEnabled());
    }

    void badHeader_saysWhyAndSendsNothing()
    {
        const int kept = history()->count();
        typeRequest(QStringLiteral("GET"), echoPath, QStringLiteral("Authorization: Bearer x"));
        QTest::mouseClick(sendButton(), Qt::LeftButton);
        auto *error = get<QLabel>(QStringLiteral("requestInputError"));
        QVERIFY(error->isVisible());
        QVERIFY(error->text().contains(QStringLiteral("Header line 1")));
        QVERIFY(!m_pane->busy());
        QCOMPARE(history()->count(), kept);
    }

    void cancel_stopsTheRequest()
    {
        fault(QStringLiteral("slow"), 0, 10'000);
        typeRequest(QStringLiteral("GET"), echoPath);
        const int kept = history()->count();
        QSignalSpy finished(m_pane, &RequestPane::requestFinished);
        QTest::keyClick(target(), Qt::Key_Return, Qt::ControlModifier); // Ctrl+Enter sends
        QTRY_VERIFY(m_pane->busy());
        auto *cancel = get<QPushButton>(QStringLiteral("cancelRequestButton"));
        QVERIFY(cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(!m_pane->busy());
        QCOMPARE(status()->text(), QStringLiteral("Cancelled."));
        QVERIFY(sendButton()->isEnabled());
        QTest::qWait(300);
        QCOMPARE(finished.size(), 0);
        QCOMPARE(history()->count(), kept);
    }

    void hugeAnswer_isShownInPart()
    {
        fault(QStringLiteral("huge"), 1);
        typeRequest(QStringLiteral("GET"), echoPath);
        const RequestOutcome outcome = sendAndWait();
        QVERIFY(outcome.response);
        QCOMPARE(outcome.response->body.size(), 10 * 1024 * 1024);
        QVERIFY(get<QLabel>(QStringLiteral("responsePartial"))->isVisible());
        QVERIFY(responseBody().size() <= 256 * 1024);
        QVERIFY(responseBody().size() > 1000);
        // Saving keeps all of it, not the part on screen.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("answer.json"));
        QVERIFY(m_pane->saveBodyTo(path));
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(saved.size(), qint64(10 * 1024 * 1024));
        QVERIFY(saved.readAll() == outcome.response->body);
        QVERIFY(!m_pane->saveBodyTo(dir.filePath(QStringLiteral("no/such/folder/x"))));
    }

    void history_clickLoadsTheRequestAgain()
    {
        QVERIFY(history()->count() >= 2);
        // The oldest: the POST to the echo with its header and body.
        QListWidgetItem *oldest = history()->item(history()->count() - 1);
        typeRequest(QStringLiteral("GET"), QStringLiteral("/something/else"));
        const QRect rect = history()->visualItemRect(oldest);
        get<QTabWidget>(QStringLiteral("requestTabs"))->setCurrentWidget(history());
        QTest::mouseClick(history()->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(target()->text(), echoPath);
        QCOMPARE(get<QComboBox>(QStringLiteral("requestMethod"))->currentText(),
                 QStringLiteral("POST"));
        QCOMPARE(get<QPlainTextEdit>(QStringLiteral("requestHeaders"))->toPlainText(),
                 QStringLiteral("X-Trace: abc-123"));
        QCOMPARE(get<QPlainTextEdit>(QStringLiteral("requestBody"))->toPlainText(),
                 QStringLiteral(R"({"hello": "world"})"));
    }

    void copyAsCurl_holdsNoToken()
    {
        typeRequest(QStringLiteral("POST"), echoPath, QStringLiteral("X-Trace: it's"),
                    QStringLiteral("a=1"));
        QTest::mouseClick(get<QToolButton>(QStringLiteral("copyCurlButton")), Qt::LeftButton, {},
                          QPoint(4, 4));
        const QString command = QGuiApplication::clipboard()->text();
        QVERIFY2(command.startsWith(QStringLiteral("curl ")), qPrintable(command));
        QVERIFY(command.contains(QStringLiteral("\"$(tokenkeeper header 'desk oauth')\"")));
        QVERIFY(command.contains(QStringLiteral(R"('X-Trace: it'\''s')")));
        QVERIFY(command.contains(m_rig.emulator().baseUrl().toString() + echoPath));
        const auto token = m_rig.engine().tokens().cached(m_profileId);
        QVERIFY(token);
        QVERIFY2(!command.contains(token->accessToken), "the curl command holds the token");
    }

    void copyAsCurlWithTheToken_isASecretOnTheClipboard()
    {
        typeRequest(QStringLiteral("GET"), echoPath);
        QAction *literal = actionNamed(get<QToolButton>(QStringLiteral("copyCurlButton"))->menu(),
                                       QStringLiteral("copyCurlWithTokenAction"));
        QVERIFY(literal);
        QGuiApplication::clipboard()->clear();
        literal->trigger();
        QTRY_VERIFY(QGuiApplication::clipboard()->text().startsWith(QStringLiteral("curl ")));
        const QMimeData *data = QGuiApplication::clipboard()->mimeData();
        QCOMPARE(data->data(QStringLiteral("x-kde-passwordManagerHint")), QByteArray("secret"));
        const auto token = m_rig.engine().tokens().cached(m_profileId);
        QVERIFY(token);
        QVERIFY2(QGuiApplication::clipboard()->text().contains(
                     QStringLiteral("'Authorization: Bearer ") + token->accessToken + u'\''),
                 "the literal header is not in the command");
        QVERIFY(m_rig.clipboard().holdsSecret()); // and it will be cleared
    }

    // Last: it ends the profile's session on the server.
    void revokedSession_renewalFails_saysSoOverTheAnswer()
    {
        m_rig.emulator().post(QStringLiteral("/_emulator/revoke"),
                              {{QStringLiteral("server"), QStringLiteral("oauth2")}});
        typeRequest(QStringLiteral("GET"), QStringLiteral("/oauth/api/me"));
        const RequestOutcome outcome = sendAndWait();
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->kind(), Error::Kind::LoginRequired);
        QVERIFY(outcome.response); // the 401 that started it, still there to read
        QCOMPARE(outcome.response->status, 401);
        QVERIFY2(status()->text().contains(outcome.error->message()), qPrintable(status()->text()));
        QVERIFY(timeline().join(u'\n').contains(QStringLiteral("Renewing the token failed")));
        QCOMPARE(get<QTabWidget>(QStringLiteral("responseTabs"))->currentIndex(), 2);
    }

    // Last: it drops the history the tests above kept.
    void history_theSettingSaysNothing_orNoBodies()
    {
        const QString historyPath = m_rig.engine().options().historyPath;
        SettingsStore settings(m_rig.engine().options().settingsPath);
        const auto keep = [&settings](RequestHistory::Keep what) {
            AppSettings changed = settings.settings();
            changed.requestHistory = what;
            QVERIFY(settings.save(changed));
            // As the desktop app does when its Settings dialog saves.
        };
        keep(RequestHistory::Keep::Nothing);
        QVERIFY(m_rig.engine().history().applyKeep(RequestHistory::Keep::Nothing));
        QVERIFY(!QFile::exists(historyPath));
        typeRequest(QStringLiteral("POST"), echoPath, {},
                    QStringLiteral("{\"n\": \"kept-not-1\"}"));
        sendAndWait(); // answered or not (the server was revoked above), it is kept or not
        QTest::qWait(200); // room for a history write that should not happen
        QVERIFY(!QFile::exists(historyPath));

        keep(RequestHistory::Keep::WithoutBodies);
        typeRequest(QStringLiteral("POST"), echoPath + QStringLiteral("?n=2"), {},
                    QStringLiteral("{\"n\": \"body-not-2\"}"));
        sendAndWait(); // answered or not (the server was revoked above), it is kept or not
        QTRY_VERIFY(QFile::exists(historyPath));
        QFile file(historyPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray kept = file.readAll();
        QVERIFY(kept.contains("?n=2"));
        QVERIFY(!kept.contains("body-not-2"));
        QVERIFY(!kept.contains("kept-not-1"));
        keep(RequestHistory::Keep::Everything);
    }
};

QTEST_MAIN(TestRequestPane)
#include "tst_requestpane.moc"
