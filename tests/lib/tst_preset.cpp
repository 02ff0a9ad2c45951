#include "auth/preset.h"
#include "auth/presetregistry.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace tokenkeeper;

class TestPreset final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtIn_allSevenLoadWithoutProblems()
    {
        const PresetRegistry registry = PresetRegistry::load({});
        QVERIFY2(registry.problems().isEmpty(), qPrintable(registry.problems().join(u'\n')));
        QStringList ids;
        for (const Preset &preset : registry.presets()) {
            ids.append(preset.id);
        }
        ids.sort();
        QCOMPARE(ids,
                 (QStringList {QStringLiteral("argus"), QStringLiteral("oauth2-client-credentials"),
                               QStringLiteral("oauth2-password"),
                               QStringLiteral("oauth2-refresh-token"), QStringLiteral("sensu"),
                               QStringLiteral("squidex"), QStringLiteral("squirro")}));
    }

    void builtIn_describeTheProtocolsOfProtocolsMd()
    {
        const PresetRegistry registry = PresetRegistry::load({});
        const Preset *sensu = registry.find(QStringLiteral("sensu"));
        QVERIFY(sensu);
        QVERIFY(sensu->refreshNeedsAccessToken()); // Bearer <old access token>
        QVERIFY(sensu->keepsRefreshToken());
        QCOMPARE(sensu->login->method, QByteArrayLiteral("GET"));
        QCOMPARE(sensu->login->auth, PresetRequest::Auth::Basic);
        QCOMPARE(sensu->refresh->loginAgain.size(), 2);

        const Preset *squidex = registry.find(QStringLiteral("squidex"));
        QVERIFY(squidex && !squidex->refresh && !squidex->keepsRefreshToken());
        QCOMPARE(squidex->secretKind, SecretKind::ClientSecret);

        const Preset *squirro = registry.find(QStringLiteral("squirro"));
        QVERIFY(squirro && !squirro->login && squirro->keepsRefreshToken());
        QCOMPARE(squirro->secretKind, SecretKind::RefreshToken);
        QCOMPARE(squirro->defaultLifetimeSeconds, 600);
        QCOMPARE(squirro->refresh->loginAgain.size(), 2); // 404 and 410

        const Preset *argus = registry.find(QStringLiteral("argus"));
        QVERIFY(argus && !argus->refreshNeedsAccessToken());
        QCOMPARE(argus->response.accessToken, QStringLiteral("accessToken"));
    }

    void fromJson_rejectsBrokenPresets_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("complaint");

        const QByteArray ok = R"("schema":1,"id":"x","secret":{"kind":"password"},)";
        QTest::newRow("bad id") << QByteArray(
            R"({"id":"Has Space","secret":{"kind":"password"},"login":{"path":"/a"}})")
                                << QStringLiteral("\"id\"");
        QTest::newRow("no request") << QByteArray("{" + ok + R"("fields":{}})")
                                    << QStringLiteral("needs a \"login\" or a \"refresh\"");
        QTest::newRow("unknown secret")
            << QByteArray(R"({"id":"x","secret":{"kind":"pin"},"login":{"path":"/a"}})")
            << QStringLiteral("secret.kind");
        QTest::newRow("secret in path")
            << QByteArray("{" + ok + R"("login":{"path":"/a/${password}"}})")
            << QStringLiteral("must not carry a secret");
        QTest::newRow("relative path")
            << QByteArray("{" + ok + R"("login":{"path":"a"}})") << QStringLiteral("login.path");
        QTest::newRow("bad auth") << QByteArray("{" + ok
                                                + R"("login":{"path":"/a","auth":"digest"}})")
                                  << QStringLiteral("login.auth");
        QTest::newRow("fields without body")
            << QByteArray("{" + ok + R"("login":{"path":"/a","fields":{"a":"b"}}})")
            << QStringLiteral("no body");
        QTest::newRow("unknown field")
            << QByteArray("{" + ok + R"("fields":{"pin":"required"},"login":{"path":"/a"}})")
            << QStringLiteral("unknown field \"pin\"");
        QTest::newRow("newer schema")
            << QByteArray(R"({"schema":2,"id":"x"})") << QStringLiteral("schema");
        QTest::newRow("refresh-only with a password")
            << QByteArray("{" + ok + R"("refresh":{"path":"/r"}})")
            << QStringLiteral("must be a refresh_token");
        QTest::newRow("loginAgain on 200")
            << QByteArray("{" + ok + R"("login":{"path":"/a","loginAgain":[200]}})")
            << QStringLiteral("loginAgain");
    }

    void fromJson_rejectsBrokenPresets()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, complaint);
        const auto preset =
            Preset::fromJson(QJsonDocument::fromJson(json).object(), QStringLiteral("my.json"));
        QVERIFY(!preset);
        QVERIFY2(preset.error().message().contains(complaint),
                 qPrintable(preset.error().message()));
        QVERIFY(preset.error().message().contains(QStringLiteral("my.json")));
    }

    void load_userFolder_badFileReportedGoodOnesKept()
    {
        QTemporaryDir dir;
        const auto write = [&dir](const QString &name, const QByteArray &content) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        };
        write(QStringLiteral("good.json"),
              R"({"schema":1,"id":"inhouse","name":"In-house","secret":{"kind":"password"},
                  "fields":{"username":"required"},
                  "login":{"path":"/login","body":"json","fields":{"u":"${username}","p":"${password}"}},
                  "response":{"accessToken":"data.token"}})");
        write(QStringLiteral("broken.json"), "{ this is not json");
        write(QStringLiteral("clash.json"),
              R"({"schema":1,"id":"sensu","secret":{"kind":"password"},"login":{"path":"/x"}})");

        const PresetRegistry registry = PresetRegistry::load(dir.path());
        QVERIFY(registry.find(QStringLiteral("inhouse")));
        QCOMPARE(registry.find(QStringLiteral("inhouse"))->response.accessToken,
                 QStringLiteral("data.token"));
        QCOMPARE(registry.presets().size(), 8);
        QCOMPARE(registry.problems().size(), 2);
        QVERIFY(registry.problems().join(u'\n').contains(QStringLiteral("broken.json")));
        QVERIFY(registry.problems().join(u'\n').contains(QStringLiteral("taken already")));
        // The built-in Sensu preset is not replaced by the clashing file.
        QCOMPARE(registry.find(QStringLiteral("sensu"))->login->path, QStringLiteral("/auth"));
    }

    void shippedExample_loads()
    {
        const QString path = QStringLiteral(TOKENKEEPER_EXAMPLE_PRESET);
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const auto preset =
            Preset::fromJson(QJsonDocument::fromJson(file.readAll()).object(), path);
        QVERIFY2(preset, preset ? "" : qPrintable(preset.error().message()));
        QVERIFY(preset->refresh.has_value());
    }
};

QTEST_GUILESS_MAIN(TestPreset)
#include "tst_preset.moc"
