// The profile editor, offscreen: only the fields the preset uses, validation
// as the user types, OK only while the form is valid, and "Test connection"
// against the demo server (nothing kept).
#include "auth/authclient.h"
#include "auth/presetregistry.h"
#include "auth/tokenservice.h"
#include "core/clock.h"
#include "net/httpclient.h"
#include "secrets/memorysecretstore.h"
#include "ui/profileeditor.h"
#include "uitestsupport.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include <memory>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

namespace demo = tokenkeeper::emulator::demo;

class TestProfileEditor final : public QObject
{
    Q_OBJECT

    PresetRegistry m_presets = PresetRegistry::load({});
    SystemClock m_clock;
    Emulator m_emulator;
    QNetworkAccessManager m_nam;
    std::unique_ptr<HttpClient> m_http;
    std::unique_ptr<AuthClient> m_auth;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<TokenService> m_tokens;

    static void choosePreset(ProfileEditor &editor, const QString &id)
    {
        auto *combo = child<QComboBox>(&editor, QStringLiteral("presetCombo"));
        const int index = combo->findData(id);
        QVERIFY(index >= 0);
        combo->setCurrentIndex(index);
        // Rows added to a visible form show on the next turn of the event loop.
        QCoreApplication::processEvents();
    }

    static void type(ProfileEditor &editor, const QString &name, const QString &text)
    {
        auto *edit = child<QLineEdit>(&editor, name);
        QVERIFY(edit);
        edit->setFocus();
        edit->selectAll();
        if (text.isEmpty()) {
            QTest::keyClick(edit, Qt::Key_Backspace);
        } else {
            QTest::keyClicks(edit, text);
        }
        QCOMPARE(edit->text(), text);
    }

    static bool okEnabled(ProfileEditor &editor)
    {
        return child<QPushButton>(&editor, QStringLiteral("okButton"))->isEnabled();
    }

    static QString problem(ProfileEditor &editor)
    {
        auto *label = child<QLabel>(&editor, QStringLiteral("problemLabel"));
        return label->isVisible() ? label->text() : QString();
    }

    std::unique_ptr<ProfileEditor> sensuEditor(const QStringList &taken = {})
    {
        Profile profile;
        profile.preset = QStringLiteral("sensu");
        auto editor = std::make_unique<ProfileEditor>(ProfileEditor::Mode::Add, profile, m_presets,
                                                      taken, m_tokens.get());
        editor->show();
        return editor;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_emulator.start());
        m_http = std::make_unique<HttpClient>(&m_nam, HttpClient::Options {10'000, 1024 * 1024});
        m_auth = std::make_unique<AuthClient>(m_http.get(), m_clock);
        m_secrets = std::make_unique<MemorySecretStore>();
        m_tokens =
            std::make_unique<TokenService>(m_auth.get(), m_secrets.get(), m_presets, m_clock);
    }

    void presets_showOnlyTheFieldsTheyUse_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QStringList>("shown");
        QTest::addColumn<bool>("canTest");
        QTest::newRow("sensu") << "sensu" << QStringList {QStringLiteral("usernameEdit")} << true;
        QTest::newRow("squidex") << "squidex"
                                 << QStringList {QStringLiteral("clientIdEdit"),
                                                 QStringLiteral("scopeEdit"),
                                                 QStringLiteral("tokenUrlEdit"),
                                                 QStringLiteral("param_app")}
                                 << true;
        QTest::newRow("squirro") << "squirro"
                                 << QStringList {QStringLiteral("clientIdEdit"),
                                                 QStringLiteral("confidentialCheck"),
                                                 QStringLiteral("tokenUrlEdit"),
                                                 QStringLiteral("param_tenant")}
                                 << false; // a pasted user token cannot be tried without using it
        QTest::newRow("oauth2-password")
            << "oauth2-password"
            << QStringList {QStringLiteral("usernameEdit"),      QStringLiteral("clientIdEdit"),
                            QStringLiteral("confidentialCheck"), QStringLiteral("scopeEdit"),
                            QStringLiteral("tokenUrlEdit"),      QStringLiteral("clientAuthCombo")}
            << true;
    }

    void presets_showOnlyTheFieldsTheyUse()
    {
        QFETCH(QString, preset);
        QFETCH(QStringList, shown);
        QFETCH(bool, canTest);
        auto editor = sensuEditor();
        // Go through another preset first: switching must hide and show rows again.
        choosePreset(*editor, QStringLiteral("oauth2-password"));
        choosePreset(*editor, QStringLiteral("squirro"));
        choosePreset(*editor, preset);
        for (const QString &name :
             {QStringLiteral("usernameEdit"), QStringLiteral("clientIdEdit"),
              QStringLiteral("confidentialCheck"), QStringLiteral("scopeEdit"),
              QStringLiteral("tokenUrlEdit"), QStringLiteral("clientAuthCombo"),
              QStringLiteral("param_app"), QStringLiteral("param_tenant")}) {
            auto *widget = editor->findChild<QWidget *>(name);
            const bool visible = widget && widget->isVisible();
            QVERIFY2(visible == shown.contains(name), qPrintable(name));
        }
        // Every preset has a name, URL and lifetime.
        QVERIFY(child<QLineEdit>(editor.get(), QStringLiteral("urlEdit"))->isVisible());
        QVERIFY(child<QSpinBox>(editor.get(), QStringLiteral("lifetimeSpin"))->isVisible());
        QCOMPARE(child<QGroupBox>(editor.get(), QStringLiteral("testBox"))->isVisible(), canTest);
    }

    void typing_validatesAsYouGo_okOnlyWhenValid()
    {
        auto editor = sensuEditor();
        QVERIFY(!okEnabled(*editor));
        QCOMPARE(problem(*editor), QStringLiteral("A profile needs a name."));

        type(*editor, QStringLiteral("nameEdit"), QStringLiteral("-prod"));
        QCOMPARE(problem(*editor), QStringLiteral("A profile name cannot start with '-'."));
        type(*editor, QStringLiteral("nameEdit"), QStringLiteral("prod"));
        QVERIFY(problem(*editor).contains(QStringLiteral("server's URL")));

        type(*editor, QStringLiteral("urlEdit"), QStringLiteral("sensu.example.com"));
        QCOMPARE(problem(*editor),
                 QStringLiteral("The URL must be absolute, like https://api.example.com."));
        QVERIFY(!okEnabled(*editor));
        type(*editor, QStringLiteral("urlEdit"), QStringLiteral("ftp://sensu.example.com"));
        QCOMPARE(problem(*editor), QStringLiteral("The URL must start with https:// or http://."));
        type(*editor, QStringLiteral("urlEdit"), QStringLiteral("https://sensu.example.com"));
        QCOMPARE(problem(*editor), QStringLiteral("The Sensu Go preset needs a username."));
        QVERIFY(!okEnabled(*editor));

        type(*editor, QStringLiteral("usernameEdit"), QStringLiteral("admin"));
        QCOMPARE(problem(*editor), QString());
        QVERIFY(okEnabled(*editor));

        // A field the new preset does not use does not count; one it needs does.
        choosePreset(*editor, QStringLiteral("squidex"));
        QCOMPARE(problem(*editor), QStringLiteral("The Squidex preset needs a client ID."));
        QVERIFY(!okEnabled(*editor));
        choosePreset(*editor, QStringLiteral("sensu"));
        QVERIFY(okEnabled(*editor)); // the username typed before is still there

        // OK hands the profile over; the dialog closes once it is saved.
        QSignalSpy save(editor.get(), &ProfileEditor::saveRequested);
        QTest::mouseClick(child<QPushButton>(editor.get(), QStringLiteral("okButton")),
                          Qt::LeftButton);
        QCOMPARE(save.size(), 1);
        const auto profile = save.first().first().value<Profile>();
        QCOMPARE(profile.name, QStringLiteral("prod"));
        QCOMPARE(profile.preset, QStringLiteral("sensu"));
        QCOMPARE(profile.username, QStringLiteral("admin"));
        QVERIFY(profile.clientId.isEmpty());
        QVERIFY(editor->isVisible());
        editor->saveFailed(QStringLiteral("The disk is full."));
        QCOMPARE(problem(*editor), QStringLiteral("The disk is full."));
        QVERIFY(editor->isVisible());
        QVERIFY(okEnabled(*editor));
        editor->saved();
        QVERIFY(!editor->isVisible());
        QCOMPARE(editor->result(), int(QDialog::Accepted));
    }

    void duplicateName_isRefused()
    {
        Profile original;
        original.id = QStringLiteral("id-1");
        original.name = QStringLiteral("prod (copy)");
        original.preset = QStringLiteral("sensu");
        original.baseUrl = QUrl(QStringLiteral("https://sensu.example.com"));
        original.username = QStringLiteral("admin");
        ProfileEditor editor(ProfileEditor::Mode::Duplicate, original, m_presets,
                             {QStringLiteral("prod"), QStringLiteral("staging")}, nullptr);
        editor.show();
        QVERIFY(okEnabled(editor));
        type(editor, QStringLiteral("nameEdit"), QStringLiteral("prod"));
        QCOMPARE(problem(editor), QStringLiteral("A profile named \"prod\" exists already."));
        QVERIFY(!okEnabled(editor));
        type(editor, QStringLiteral("nameEdit"), QStringLiteral("prod 2"));
        QVERIFY(okEnabled(editor));
        QVERIFY(editor.profile()->id.isEmpty()); // a duplicate is a new profile
    }

    void edit_keepsTheId_andSaysWhenSavingLogsOut()
    {
        Profile original;
        original.id = QStringLiteral("id-1");
        original.name = QStringLiteral("prod");
        original.preset = QStringLiteral("sensu");
        original.baseUrl = QUrl(QStringLiteral("https://sensu.example.com"));
        original.username = QStringLiteral("admin");
        ProfileEditor editor(ProfileEditor::Mode::Edit, original, m_presets,
                             {QStringLiteral("staging")}, nullptr);
        editor.show();
        QVERIFY(okEnabled(editor)); // its own name is not "taken"
        auto *note = child<QLabel>(&editor, QStringLiteral("noteLabel"));
        QVERIFY(!note->isVisible());
        type(editor, QStringLiteral("nameEdit"), QStringLiteral("production"));
        QVERIFY(!note->isVisible());
        type(editor, QStringLiteral("usernameEdit"), QStringLiteral("someone"));
        QVERIFY(note->isVisible());
        QVERIFY(note->text().contains(QStringLiteral("logs this profile out")));
        QCOMPARE(editor.profile()->id, QStringLiteral("id-1"));
    }

    void everyControl_hasAnAccessibleName()
    {
        auto editor = sensuEditor();
        choosePreset(*editor, QStringLiteral("squidex")); // a parameter field too
        const auto widgets = editor->findChildren<QWidget *>();
        for (QWidget *widget : widgets) {
            if (widget->objectName().startsWith(u"qt_")) {
                continue; // Qt's own parts: a spin box's line edit
            }
            const bool control = qobject_cast<QAbstractButton *>(widget)
                || qobject_cast<QLineEdit *>(widget) || qobject_cast<QComboBox *>(widget)
                || qobject_cast<QAbstractSpinBox *>(widget)
                || (qobject_cast<QLabel *>(widget) && !widget->objectName().isEmpty());
            if (control) {
                QVERIFY2(!widget->accessibleName().isEmpty(),
                         qPrintable(QString::fromLatin1(widget->metaObject()->className()) + u' '
                                    + widget->objectName()));
            }
        }
    }

    void testConnection_sensu_saysTheServersWords_andKeepsNothing()
    {
        auto editor = sensuEditor();
        type(*editor, QStringLiteral("urlEdit"), m_emulator.baseUrl().toString());
        type(*editor, QStringLiteral("usernameEdit"), QLatin1String(demo::sensuUser));
        // The name is not needed for a test.
        auto *button = child<QPushButton>(editor.get(), QStringLiteral("testButton"));
        QVERIFY(!button->isEnabled()); // no password yet
        type(*editor, QStringLiteral("testSecretEdit"), QStringLiteral("wrong-password"));
        QVERIFY(button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
        auto *result = child<QLabel>(editor.get(), QStringLiteral("testResult"));
        QCOMPARE(result->text(), QStringLiteral("Testing…"));
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QStringLiteral("Unauthorized")), 10'000);

        type(*editor, QStringLiteral("testSecretEdit"), QLatin1String(demo::sensuPassword));
        QTest::mouseClick(button, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith(QStringLiteral("It works")), 10'000);
        QVERIFY(m_secrets->contents().isEmpty());
    }
};

QTEST_MAIN(TestProfileEditor)
#include "tst_profileeditor.moc"
