// The rules a profile follows, shared by the desktop editor and `profile add`.
#include "auth/presetregistry.h"
#include "engine/profilevalidator.h"

#include <QTest>

using namespace tokenkeeper;

namespace {

using Field = ProfileValidator::Field;

ProfileForm sensu()
{
    ProfileForm form;
    form.name = QStringLiteral("prod");
    form.preset = QStringLiteral("sensu");
    form.baseUrl = QStringLiteral("https://sensu.example.com:8080");
    form.username = QStringLiteral("admin");
    return form;
}

} // namespace

class TestProfileValidator final : public QObject
{
    Q_OBJECT

    PresetRegistry m_presets = PresetRegistry::load({});

private Q_SLOTS:
    void check_validForm_noProblems()
    {
        const ProfileValidator validator(m_presets, {QStringLiteral("other")});
        QVERIFY(validator.check(sensu()).isEmpty());
        const auto profile = validator.toProfile(sensu());
        QVERIFY(profile);
        QCOMPARE(profile->name, QStringLiteral("prod"));
        QCOMPARE(profile->baseUrl, QUrl(QStringLiteral("https://sensu.example.com:8080")));
        QCOMPARE(profile->username, QStringLiteral("admin"));
        QVERIFY(profile->id.isEmpty());
    }

    void check_badForm_firstProblemNamesTheField_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("field");
        QTest::addColumn<QString>("words");

        QTest::newRow("empty name") << "name"
                                    << "" << int(Field::Name) << "needs a name";
        QTest::newRow("name with spaces around") << "name"
                                                 << " prod" << int(Field::Name) << "spaces";
        QTest::newRow("name taken") << "name"
                                    << "taken" << int(Field::Name) << "exists already";
        QTest::newRow("no preset") << "preset"
                                   << "" << int(Field::Preset) << "Choose a preset";
        QTest::newRow("unknown preset") << "preset"
                                        << "nope" << int(Field::Preset) << "installed: argus";
        QTest::newRow("no URL") << "baseUrl"
                                << "" << int(Field::BaseUrl) << "server's URL";
        QTest::newRow("relative URL") << "baseUrl"
                                      << "sensu" << int(Field::BaseUrl) << "absolute";
        QTest::newRow("ftp URL") << "baseUrl"
                                 << "ftp://x.example" << int(Field::BaseUrl) << "https://";
        QTest::newRow("password in URL")
            << "baseUrl"
            << "https://u:p@x.example" << int(Field::BaseUrl) << "keychain";
        QTest::newRow("missing username")
            << "username"
            << "" << int(Field::Username) << "Sensu Go preset needs a username";
        QTest::newRow("unused client ID")
            << "clientId"
            << "c" << int(Field::ClientId) << "does not use a client ID";
        QTest::newRow("lifetime zero") << "lifetime"
                                       << "0" << int(Field::Lifetime) << "positive number";
        QTest::newRow("lifetime text") << "lifetime"
                                       << "ten" << int(Field::Lifetime) << "positive number";
        QTest::newRow("client auth") << "clientAuth"
                                     << "digest" << int(Field::ClientAuth) << "basic or body";
        QTest::newRow("unknown param")
            << "param"
            << "tenant" << int(Field::Param) << "no parameter \"tenant\"";
        QTest::newRow("confidential sensu")
            << "confidential"
            << "" << int(Field::ConfidentialClient) << "cannot have a secret";
    }

    void check_badForm_firstProblemNamesTheField()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(int, field);
        QFETCH(QString, words);
        ProfileForm form = sensu();
        if (key == u"name") {
            form.name = value;
        } else if (key == u"preset") {
            form.preset = value;
        } else if (key == u"baseUrl") {
            form.baseUrl = value;
        } else if (key == u"username") {
            form.username = value;
        } else if (key == u"clientId") {
            form.clientId = value;
        } else if (key == u"lifetime") {
            form.lifetime = value;
        } else if (key == u"clientAuth") {
            form.clientAuth = value;
        } else if (key == u"param") {
            form.params.insert(value, QStringLiteral("x"));
        } else if (key == u"confidential") {
            form.confidentialClient = true;
        }
        const ProfileValidator validator(m_presets, {QStringLiteral("taken")});
        const auto problems = validator.check(form);
        QVERIFY(!problems.isEmpty());
        QCOMPARE(int(problems.first().field), field);
        QVERIFY2(problems.first().message.contains(words), qPrintable(problems.first().message));
        const auto profile = validator.toProfile(form);
        QVERIFY(!profile);
        QCOMPARE(profile.error().kind(), Error::Kind::Usage);
        QCOMPARE(profile.error().message(), problems.first().message);
    }

    void check_confidentialClient_needsClientId()
    {
        ProfileForm form;
        form.name = QStringLiteral("pw");
        form.preset = QStringLiteral("oauth2-password");
        form.baseUrl = QStringLiteral("http://127.0.0.1:1");
        form.username = QStringLiteral("u");
        form.confidentialClient = true;
        const ProfileValidator validator(m_presets);
        QCOMPARE(validator.check(form).size(), 1);
        QCOMPARE(validator.check(form).first().field, Field::ConfidentialClient);
        form.clientId = QStringLiteral("tk-client");
        form.clientAuth = QStringLiteral("body");
        QVERIFY(validator.check(form).isEmpty());
        const auto profile = validator.toProfile(form);
        QVERIFY(profile->confidentialClient);
        QCOMPARE(profile->clientAuth, Profile::ClientAuth::Body);
    }

    void shows_perPreset_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QList<int>>("shown");
        const auto all = [](std::initializer_list<Field> fields) {
            QList<int> list;
            for (const Field field : fields) {
                list.append(int(field));
            }
            return list;
        };
        QTest::newRow("sensu") << "sensu" << all({Field::Username});
        QTest::newRow("argus") << "argus" << all({Field::Username});
        QTest::newRow("squidex") << "squidex"
                                 << all({Field::ClientId, Field::Scope, Field::TokenUrl,
                                         Field::Param});
        QTest::newRow("squirro") << "squirro"
                                 << all({Field::ClientId, Field::ConfidentialClient,
                                         Field::TokenUrl, Field::Param});
        QTest::newRow("oauth2-password")
            << "oauth2-password"
            << all({Field::Username, Field::ClientId, Field::ConfidentialClient, Field::Scope,
                    Field::TokenUrl, Field::ClientAuth});
        QTest::newRow("oauth2-client-credentials")
            << "oauth2-client-credentials"
            << all({Field::ClientId, Field::Scope, Field::TokenUrl, Field::ClientAuth});
    }

    void shows_perPreset()
    {
        QFETCH(QString, preset);
        QFETCH(QList<int>, shown);
        const Preset *found = m_presets.find(preset);
        QVERIFY(found);
        for (const Field field : {Field::Username, Field::ClientId, Field::ConfidentialClient,
                                  Field::Scope, Field::TokenUrl, Field::ClientAuth, Field::Param}) {
            QVERIFY2(ProfileValidator::shows(*found, field) == shown.contains(int(field)),
                     qPrintable(QString::number(int(field))));
        }
        QVERIFY(ProfileValidator::shows(*found, Field::Lifetime));
    }

    void sameAccount_onlyServerPresetUserClientAndParamsCount()
    {
        const Profile before = *ProfileValidator(m_presets).toProfile(sensu());
        Profile after = before;
        after.name = QStringLiteral("renamed");
        after.lifetimeSeconds = 60;
        QVERIFY(ProfileValidator::sameAccount(before, after));
        after.username = QStringLiteral("someone else");
        QVERIFY(!ProfileValidator::sameAccount(before, after));
        after = before;
        after.baseUrl = QUrl(QStringLiteral("https://elsewhere.example"));
        QVERIFY(!ProfileValidator::sameAccount(before, after));
    }

    void form_fromProfile_roundTrips()
    {
        ProfileForm form = sensu();
        form.lifetime = QStringLiteral("120");
        const ProfileValidator validator(m_presets);
        const Profile profile = *validator.toProfile(form);
        QCOMPARE(validator.toProfile(ProfileForm::from(profile))->toJson(), profile.toJson());
    }
};

QTEST_GUILESS_MAIN(TestProfileValidator)
#include "tst_profilevalidator.moc"
