#include "profiles/profilestore.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

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

QJsonObject entry(const QString &id, const QString &name)
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("name"), name},
            {QStringLiteral("preset"), QStringLiteral("sensu")},
            {QStringLiteral("baseUrl"), QStringLiteral("https://sensu.example.com")},
            {QStringLiteral("username"), QStringLiteral("admin")}};
}

void writeEntries(const QString &path, const QJsonArray &entries)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(QJsonObject {{QStringLiteral("schema"), 1},
                                          {QStringLiteral("profiles"), entries}})
                   .toJson());
}

QJsonArray entriesIn(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QJsonDocument::fromJson(file.readAll())
        .object()
        .value(QStringLiteral("profiles"))
        .toArray();
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

    void checkId_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("wellFormed");
        QTest::newRow("generated (uuid)")
            << QUuid::createUuid().toString(QUuid::WithoutBraces) << true;
        QTest::newRow("one letter") << QStringLiteral("a") << true;
        QTest::newRow("dots, dashes, underscores") << QStringLiteral("a.b_c-9") << true;
        QTest::newRow("64 characters") << QString(64, u'x') << true;
        QTest::newRow("65 characters") << QString(65, u'x') << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("parent folder") << QStringLiteral("../evil") << false;
        QTest::newRow("dot dot") << QStringLiteral("..") << false;
        QTest::newRow("slash") << QStringLiteral("a/b") << false;
        QTest::newRow("backslash") << QStringLiteral("a\\b") << false;
        QTest::newRow("leading dash") << QStringLiteral("-a") << false;
        QTest::newRow("upper case") << QStringLiteral("Abc") << false;
        QTest::newRow("space") << QStringLiteral("a b") << false;
        QTest::newRow("newline") << QStringLiteral("a\nb") << false;
        QTest::newRow("non-ascii") << QStringLiteral("caf\u00e9") << false;
    }

    void checkId()
    {
        QFETCH(QString, id);
        QFETCH(bool, wellFormed);
        QCOMPARE(Profile::checkId(id).isEmpty(), wellFormed);
    }

    void checkUrl_plainHttpOnlyToThisMachine_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("https remote") << QStringLiteral("https://api.example.com/x") << true;
        QTest::newRow("http 127.0.0.1") << QStringLiteral("http://127.0.0.1:8080") << true;
        QTest::newRow("http 127.1.2.3") << QStringLiteral("http://127.1.2.3") << true;
        QTest::newRow("http localhost") << QStringLiteral("http://localhost:1/t") << true;
        QTest::newRow("http ::1") << QStringLiteral("http://[::1]:9/t") << true;
        QTest::newRow("http remote name") << QStringLiteral("http://tokens.example.com/t") << false;
        QTest::newRow("http remote address") << QStringLiteral("http://192.0.2.7/t") << false;
        QTest::newRow("http localhost lookalike")
            << QStringLiteral("http://localhost.example.com/t") << false;
    }

    void checkUrl_plainHttpOnlyToThisMachine()
    {
        QFETCH(QString, url);
        QFETCH(bool, accepted);
        const QString problem = Profile::checkUrl(QUrl(url, QUrl::StrictMode));
        QVERIFY2(problem.isEmpty() == accepted, qPrintable(problem));
        if (!accepted) {
            QVERIFY(problem.contains(QStringLiteral("https://")));
        }
    }

    // One entry edited by hand into a state Tokenkeeper never writes: that
    // entry is refused with a reason naming the file and the profile, the
    // others work, and a save writes it back unchanged, at its place.
    void handEditedEntry_isRefusedAlone_andKeptOnSave_data()
    {
        QTest::addColumn<QJsonValue>("bad");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("words");
        QTest::newRow("id with ../")
            << QJsonValue(entry(QStringLiteral("../evil"), QStringLiteral("evil")))
            << QStringLiteral("\"evil\"") << QStringLiteral("../evil");
        QTest::newRow("empty id") << QJsonValue(entry(QString(), QStringLiteral("anon")))
                                  << QStringLiteral("\"anon\"") << QStringLiteral("lacks its id");
        QTest::newRow("upper-case id")
            << QJsonValue(entry(QStringLiteral("ABC"), QStringLiteral("caps")))
            << QStringLiteral("\"caps\"") << QStringLiteral("not well-formed");
        QJsonObject httpToken = entry(QStringLiteral("t1"), QStringLiteral("plain"));
        httpToken.insert(QStringLiteral("tokenUrl"),
                         QStringLiteral("http://tokens.example.com/token"));
        QTest::newRow("remote http token url")
            << QJsonValue(httpToken) << QStringLiteral("\"plain\"") << QStringLiteral("token URL");
        QJsonObject httpServer = entry(QStringLiteral("t2"), QStringLiteral("plain server"));
        httpServer.insert(QStringLiteral("baseUrl"), QStringLiteral("http://sensu.example.com"));
        QTest::newRow("remote http server")
            << QJsonValue(httpServer) << QStringLiteral("\"plain server\"")
            << QStringLiteral("server URL");
        QJsonObject noName = entry(QStringLiteral("t3"), QString());
        noName.remove(QStringLiteral("name"));
        QTest::newRow("no name") << QJsonValue(noName) << QStringLiteral("#2")
                                 << QStringLiteral("lacks its id, name or preset");
        QTest::newRow("control character in the name")
            << QJsonValue(entry(QStringLiteral("t4"), QStringLiteral("bell\a")))
            << QStringLiteral("\"bell\"") << QStringLiteral("control characters");
        QTest::newRow("not an object")
            << QJsonValue(42) << QStringLiteral("#2") << QStringLiteral("not a JSON object");
    }

    void handEditedEntry_isRefusedAlone_andKeptOnSave()
    {
        QFETCH(QJsonValue, bad);
        QFETCH(QString, label);
        QFETCH(QString, words);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profiles.json"));
        writeEntries(path,
                     {entry(QStringLiteral("good-1"), QStringLiteral("one")), bad,
                      entry(QStringLiteral("good-2"), QStringLiteral("two"))});
        ProfileStore store(path);

        const auto contents = store.read();
        QVERIFY(contents);
        QCOMPARE(contents->profiles.size(), 2);
        QCOMPARE(contents->profiles.at(0).name, QStringLiteral("one"));
        QCOMPARE(contents->profiles.at(1).name, QStringLiteral("two"));
        QCOMPARE(contents->refused.size(), 1);
        const QString reason = contents->refused.first().reason;
        QVERIFY2(reason.contains(path), qPrintable(reason));
        QVERIFY2(reason.contains(QStringLiteral("profile ") + label), qPrintable(reason));
        QVERIFY2(reason.contains(words), qPrintable(reason));
        QVERIFY2(reason.contains(QStringLiteral("Nothing is sent")), qPrintable(reason));
        for (const QChar c : reason) {
            QVERIFY(c.category() != QChar::Other_Control);
        }
        QVERIFY(store.find(QStringLiteral("one")));
        if (bad.isObject() && !bad[QStringLiteral("name")].toString().isEmpty()) {
            const auto found = store.find(bad[QStringLiteral("name")].toString());
            QVERIFY(!found);
            QCOMPARE(found.error().kind(), Error::Kind::Storage);
            QCOMPARE(found.error().message(), reason);
        }

        // Saves (add, update, remove) write the refused entry back as it was.
        QVERIFY(store.add(sample(QStringLiteral("three"))));
        Profile two = store.find(QStringLiteral("two")).value();
        two.name = QStringLiteral("two renamed");
        QVERIFY(store.update(two));
        QVERIFY(store.remove(QStringLiteral("one")));
        const QJsonArray after = entriesIn(path);
        QCOMPARE(after.size(), 3);
        QCOMPARE(after.at(0).toObject().value(QStringLiteral("name")).toString(),
                 QStringLiteral("two renamed"));
        QCOMPARE(after.at(1), bad);
        QCOMPARE(store.read()->refused.size(), 1);
    }

    // A hand-copied entry: both copies share an id, and which one the
    // keychain entry belongs to cannot be told, so both are refused.
    void sharedId_refusesBothEntries_namingThem_andKeepsThem()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profiles.json"));
        const QJsonArray entries {entry(QStringLiteral("same"), QStringLiteral("original")),
                                  entry(QStringLiteral("other"), QStringLiteral("other")),
                                  entry(QStringLiteral("same"), QStringLiteral("original copy"))};
        writeEntries(path, entries);
        ProfileStore store(path);

        const auto contents = store.read();
        QVERIFY(contents);
        QCOMPARE(contents->profiles.size(), 1);
        QCOMPARE(contents->profiles.first().name, QStringLiteral("other"));
        QCOMPARE(contents->refused.size(), 2);
        for (const RefusedProfile &refused : contents->refused) {
            QVERIFY2(refused.reason.contains(path), qPrintable(refused.reason));
            QVERIFY2(refused.reason.contains(QStringLiteral("\"original\"")),
                     qPrintable(refused.reason));
            QVERIFY2(refused.reason.contains(QStringLiteral("\"original copy\"")),
                     qPrintable(refused.reason));
            QVERIFY2(refused.reason.contains(QStringLiteral("\"same\"")),
                     qPrintable(refused.reason));
        }
        QCOMPARE(contents->refused.at(0).index, 0);
        QCOMPARE(contents->refused.at(1).index, 2);
        QVERIFY(!store.find(QStringLiteral("original")));
        QVERIFY(!store.find(QStringLiteral("same")));
        QVERIFY(!store.remove(QStringLiteral("original copy")));
        QCOMPARE(store.add(sample(QStringLiteral("original"))).error().kind(), Error::Kind::Usage);

        QVERIFY(store.add(sample(QStringLiteral("new"))));
        const QJsonArray after = entriesIn(path);
        QCOMPARE(after.size(), 4);
        QCOMPARE(after.at(0), entries.at(0));
        QCOMPARE(after.at(2), entries.at(2));
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
