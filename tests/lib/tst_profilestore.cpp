#include "profiles/profilestore.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace tokenkeeper;

namespace {

Profile sample(const QString &name)
{
    Profile profile;
    profile.name = name;
    profile.preset = QStringLiteral("oauth2-client-credentials");
    profile.baseUrl = QUrl(QStringLiteral("https://api.example.com/v1"));
    profile.clientId = QStringLiteral("client-1");
    profile.scope = QStringLiteral("read write");
    profile.tokenUrl = QUrl(QStringLiteral("https://login.example.com/oauth/token"));
    profile.lifetimeSeconds = 120;
    profile.clientAuth = Profile::ClientAuth::Body;
    profile.params.insert(QStringLiteral("tenant"), QStringLiteral("acme"));
    return profile;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestProfileStore final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void add_thenLoad_roundTripsEveryField()
    {
        QTemporaryDir dir;
        ProfileStore store(dir.filePath(QStringLiteral("sub/profiles.json")));
        const auto added = store.add(sample(QStringLiteral("Prod API")));
        QVERIFY2(added, added ? "" : qPrintable(added.error().message()));
        QVERIFY(!added->id.isEmpty());

        const auto loaded = ProfileStore(store.path()).load();
        QVERIFY(loaded);
        QCOMPARE(loaded->size(), 1);
        const Profile &p = loaded->first();
        QCOMPARE(p.toJson(), added->toJson());
        QCOMPARE(p.clientAuth, Profile::ClientAuth::Body);
        QCOMPARE(p.params.value(QStringLiteral("tenant")), QStringLiteral("acme"));
        QCOMPARE(p.lifetimeSeconds, 120);
        QCOMPARE(QFile(store.path()).permissions()
                     & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());
        const QJsonObject root = QJsonDocument::fromJson(readAll(store.path())).object();
        QCOMPARE(root.value(QStringLiteral("schema")).toInt(), ProfileStore::schemaVersion);
    }

    void add_duplicateName_isRefused()
    {
        QTemporaryDir dir;
        ProfileStore store(dir.filePath(QStringLiteral("profiles.json")));
        QVERIFY(store.add(sample(QStringLiteral("a"))));
        const auto again = store.add(sample(QStringLiteral("a")));
        QVERIFY(!again);
        QCOMPARE(again.error().kind(), Error::Kind::Usage);
        QCOMPARE(store.load()->size(), 1);
    }

    void update_andRemove_byNameOrId()
    {
        QTemporaryDir dir;
        ProfileStore store(dir.filePath(QStringLiteral("profiles.json")));
        auto a = store.add(sample(QStringLiteral("a"))).value();
        QVERIFY(store.add(sample(QStringLiteral("b"))));
        a.name = QStringLiteral("renamed");
        QVERIFY(store.update(a));
        QCOMPARE(store.find(a.id)->name, QStringLiteral("renamed"));
        a.name = QStringLiteral("b");
        QVERIFY(!store.update(a)); // name taken
        QCOMPARE(store.remove(QStringLiteral("b"))->name, QStringLiteral("b"));
        QVERIFY(store.remove(a.id));
        QVERIFY(store.load()->isEmpty());
        QVERIFY(!store.remove(QStringLiteral("nope")));
    }

    void corruptFile_isAnErrorNamingIt_andIsNeverOverwritten_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("truncated json") << QByteArray(R"({"schema":1,"profiles":[{"id":"x",)");
        QTest::newRow("not an object") << QByteArray("[]");
        QTest::newRow("no schema") << QByteArray(R"({"profiles":[]})");
        QTest::newRow("newer schema") << QByteArray(R"({"schema":99,"profiles":[]})");
        QTest::newRow("profile without name")
            << QByteArray(R"({"schema":1,"profiles":[{"id":"x","preset":"sensu"}]})");
        QTest::newRow("binary junk") << QByteArray("\x00\xff\xfe garbage", 12);
    }

    void corruptFile_isAnErrorNamingIt_andIsNeverOverwritten()
    {
        QFETCH(QByteArray, content);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profiles.json"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        ProfileStore store(path);
        const auto loaded = store.load();
        QVERIFY(!loaded);
        QCOMPARE(loaded.error().kind(), Error::Kind::Storage);
        QVERIFY2(loaded.error().message().contains(path), qPrintable(loaded.error().message()));

        // Adding, updating or removing must not replace the damaged file.
        QVERIFY(!store.add(sample(QStringLiteral("new"))));
        QVERIFY(!store.remove(QStringLiteral("x")));
        QCOMPARE(readAll(path), content);
    }

    void twoProcessesAddingAtOnce_loseNothing()
    {
        // Real processes (the command line), started together, each adding profiles.
        test::Cli cli;
        constexpr int processes = 8;
        std::vector<std::unique_ptr<QProcess>> running;
        for (int i = 0; i < processes; ++i) {
            auto process = std::make_unique<QProcess>();
            process->setProcessEnvironment(cli.environment());
            process->start(test::cliPath(),
                           {QStringLiteral("profile"), QStringLiteral("add"),
                            QStringLiteral("p%1").arg(i), QStringLiteral("--preset"),
                            QStringLiteral("sensu"), QStringLiteral("--url"),
                            QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--username"),
                            QStringLiteral("u%1").arg(i)});
            running.push_back(std::move(process));
        }
        for (auto &process : running) {
            QVERIFY(process->waitForFinished(30'000));
            QCOMPARE(process->exitCode(), 0);
        }
        const auto loaded =
            ProfileStore(cli.configDir() + QStringLiteral("/tokenkeeper/profiles.json")).load();
        QVERIFY(loaded);
        QCOMPARE(loaded->size(), processes);
    }
};

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
