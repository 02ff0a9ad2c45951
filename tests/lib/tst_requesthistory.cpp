// RequestHistory: the last requests per profile in one file of the user's,
// newest first, capped, kept across restarts, with no token in any byte.
#include "auth/credentials.h"
#include "profiles/profile.h"
#include "request/historyredaction.h"
#include "request/requesthistory.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace tokenkeeper;

namespace {

HistoryEntry entry(const QString &target, int status = 200)
{
    HistoryEntry e;
    e.request.method = "GET";
    e.request.target = target;
    e.sentAt = QDateTime::currentDateTimeUtc();
    e.status = status;
    e.elapsedMs = 12;
    return e;
}

QStringList targets(const QList<HistoryEntry> &entries)
{
    QStringList list;
    for (const HistoryEntry &e : entries) {
        list.append(e.request.target);
    }
    return list;
}

QByteArray bytesOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

mode_t modeOf(const QString &path)
{
    struct stat info
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? info.st_mode & 0777
                                                                   : mode_t(01000);
}

// Sets the process's umask for a scope.
class Umask final
{
public:
    explicit Umask(mode_t mask)
        : m_old(::umask(mask))
    { }
    ~Umask() { ::umask(m_old); }
    Q_DISABLE_COPY_MOVE(Umask)

private:
    mode_t m_old;
};

HistoryEntry posted(const QString &target, const QByteArray &body, const QString &contentType)
{
    HistoryEntry e = entry(target);
    e.request.method = "POST";
    e.request.body = body;
    e.request.contentType = contentType;
    return e;
}

using namespace tokenkeeper::historyredaction;

} // namespace

class TestRequestHistory final : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_path = m_dir->filePath(QStringLiteral("not/yet/there/history.json"));
    }

    void load_noFile_isEmptyAndOk()
    {
        RequestHistory history(m_path);
        QVERIFY(history.load());
        QVERIFY(history.entries(QStringLiteral("p")).isEmpty());
        QVERIFY(!QFile::exists(m_path));
    }

    void add_keepsNewestFirst_perProfile()
    {
        RequestHistory history(m_path);
        QVERIFY(history.load());
        QVERIFY(history.add(QStringLiteral("a"), entry(QStringLiteral("/1")), {}));
        QVERIFY(history.add(QStringLiteral("b"), entry(QStringLiteral("/b1")), {}));
        QVERIFY(history.add(QStringLiteral("a"), entry(QStringLiteral("/2")), {}));
        QVERIFY(history.add(QStringLiteral("a"), entry(QStringLiteral("/3")), {}));
        QCOMPARE(targets(history.entries(QStringLiteral("a"))),
                 (QStringList {QStringLiteral("/3"), QStringLiteral("/2"), QStringLiteral("/1")}));
        QCOMPARE(targets(history.entries(QStringLiteral("b"))),
                 QStringList {QStringLiteral("/b1")});
    }

    void add_overFifty_keepsTheLastFifty_andOthersProfilesUntouched()
    {
        RequestHistory history(m_path);
        QVERIFY(history.load());
        QVERIFY(history.add(QStringLiteral("other"), entry(QStringLiteral("/other")), {}));
        for (int i = 0; i < 60; ++i) {
            QVERIFY(history.add(QStringLiteral("p"), entry(QStringLiteral("/n/%1").arg(i)), {}));
        }
        const QList<HistoryEntry> kept = history.entries(QStringLiteral("p"));
        QCOMPARE(kept.size(), RequestHistory::perProfile);
        QCOMPARE(kept.first().request.target, QStringLiteral("/n/59"));
        QCOMPARE(kept.last().request.target, QStringLiteral("/n/10"));
        QCOMPARE(history.entries(QStringLiteral("other")).size(), 1);

        RequestHistory reloaded(m_path);
        QVERIFY(reloaded.load());
        QCOMPARE(targets(reloaded.entries(QStringLiteral("p"))), targets(kept));
    }

    void reload_newInstance_seesEveryField()
    {
        HistoryEntry e = entry(QStringLiteral("/api/x?q=1"), 404);
        e.request.method = "POST";
        e.request.headers = {{QStringLiteral("X-Quote"), QStringLiteral("it's \"x\" Grüße")}};
        e.request.body = "{\"a\": \"line\\nbreak\", \"b\": \"\xc3\xbc\"}\n";
        e.request.contentType = QStringLiteral("application/json");
        e.sentAt = QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7, 890), Qt::UTC);
        e.elapsedMs = 4321;
        e.retried = true;
        {
            RequestHistory history(m_path);
            QVERIFY(history.load());
            QVERIFY(history.add(QStringLiteral("p"), e, {}));
        }
        RequestHistory reloaded(m_path);
        QVERIFY(reloaded.load());
        const QList<HistoryEntry> entries = reloaded.entries(QStringLiteral("p"));
        QCOMPARE(entries.size(), 1);
        QVERIFY(entries.first().request == e.request);
        QCOMPARE(entries.first().sentAt, e.sentAt);
        QCOMPARE(entries.first().status, 404);
        QCOMPARE(entries.first().elapsedMs, qint64(4321));
        QCOMPARE(entries.first().retried, true);
    }

    void save_fileIsTheUsersOnly()
    {
        RequestHistory history(m_path);
        QVERIFY(history.load());
        QVERIFY(history.add(QStringLiteral("p"), entry(QStringLiteral("/1")), {}));
        struct stat info
        {
        };
        QCOMPARE(::stat(QFile::encodeName(m_path).constData(), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0600));
        // Still so after a rewrite.
        QVERIFY(history.add(QStringLiteral("p"), entry(QStringLiteral("/2")), {}));
        QCOMPARE(::stat(QFile::encodeName(m_path).constData(), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0600));
    }

    void add_secretsAnywhere_areRedactedAndNeverInTheFile()
    {
        const QString secret = QStringLiteral("tok-3f9a1c77e2b04d55");
        const QString other = QStringLiteral("refresh-77aa00bb");
        HistoryEntry e = entry(QStringLiteral("/api/x?access_token=") + secret);
        e.request.method = "POST";
        e.request.headers = {
            {QStringLiteral("X-Api-Key"), QStringLiteral("key ") + secret},
            {QStringLiteral("Authorization"), QStringLiteral("Bearer ") + other},
            {QStringLiteral("authorization"), QStringLiteral("Basic ") + other},
            {QStringLiteral("X-Keep"), QStringLiteral("kept")},
        };
        e.request.body = QStringLiteral("{\"token\": \"%1\", \"n\": 1}").arg(secret).toUtf8();
        e.request.contentType = QStringLiteral("application/json");

        RequestHistory history(m_path);
        QVERIFY(history.load());
        QVERIFY(history.add(QStringLiteral("p"), e, {secret}));

        const QByteArray file = bytesOf(m_path);
        QVERIFY(!file.isEmpty());
        QVERIFY2(!file.contains(secret.toUtf8()), "the secret is in the history file");
        QVERIFY2(!file.contains(other.toUtf8()), "an Authorization value is in the history file");
        QVERIFY(!file.toLower().contains("authorization"));

        const HistoryEntry kept = history.entries(QStringLiteral("p")).first();
        QCOMPARE(kept.request.target, QStringLiteral("/api/x?access_token=[redacted]"));
        QCOMPARE(kept.request.headers.size(), 2);
        QCOMPARE(kept.request.headers.at(0).second, QStringLiteral("[redacted]"));
        QCOMPARE(kept.request.headers.at(1).second, QStringLiteral("kept"));
        QCOMPARE(kept.request.body, QByteArrayLiteral("{\"token\": \"[redacted]\", \"n\": 1}"));

        RequestHistory reloaded(m_path);
        QVERIFY(reloaded.load());
        QVERIFY(reloaded.entries(QStringLiteral("p")).first().request == kept.request);
    }

    void isSecretName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("secret");
        for (const char *name : {"Cookie", "Set-Cookie", "Proxy-Authorization", "X-Api-Key",
                                 "apikey", "KEY", "x-auth-user", "Access_Token", "refresh_token",
                                 "client_secret", "X-Secret", "password", "passwd", "pwd",
                                 "X-Session-Id", "credentials", "X-Amz-Signature", "sig"}) {
            QTest::newRow(name) << QString::fromLatin1(name) << true;
        }
        for (const char *name :
             {"Accept", "Content-Type", "X-Request-Id", "page", "user", "q", "signal", "design"}) {
            QTest::newRow(name) << QString::fromLatin1(name) << false;
        }
    }

    void isSecretName()
    {
        QFETCH(QString, name);
        QFETCH(bool, secret);
        QCOMPARE(historyredaction::isSecretName(name), secret);
    }

    void redactedRequest_secretHeaders_valueGoes_nameStays()
    {
        ApiRequest request;
        request.target = QStringLiteral("/x");
        request.headers = {
            {QStringLiteral("Cookie"), QStringLiteral("sid=c00kie-value-1")},
            {QStringLiteral("Set-Cookie"), QStringLiteral("sid=c00kie-value-2; HttpOnly")},
            {QStringLiteral("Proxy-Authorization"), QStringLiteral("Basic cHJveHk6cHc=")},
            {QStringLiteral("X-API-KEY"), QStringLiteral("ak-value-3")},
            {QStringLiteral("x-my-token"), QStringLiteral("tk-value-4")},
            {QStringLiteral("X-Client-Secret"), QStringLiteral("cs-value-5")},
            {QStringLiteral("X-Auth-User"), QStringLiteral("au-value-6")},
            {QStringLiteral("Authorization"), QStringLiteral("Bearer az-value-7")},
            {QStringLiteral("Accept"), QStringLiteral("application/json")},
        };
        const ApiRequest kept = redactedRequest(request, {});
        const QList<std::pair<QString, QString>> expected {
            {QStringLiteral("Cookie"), QStringLiteral("[redacted]")},
            {QStringLiteral("Set-Cookie"), QStringLiteral("[redacted]")},
            {QStringLiteral("Proxy-Authorization"), QStringLiteral("[redacted]")},
            {QStringLiteral("X-API-KEY"), QStringLiteral("[redacted]")},
            {QStringLiteral("x-my-token"), QStringLiteral("[redacted]")},
            {QStringLiteral("X-Client-Secret"), QStringLiteral("[redacted]")},
            {QStringLiteral("X-Auth-User"), QStringLiteral("[redacted]")},
            {QStringLiteral("Accept"), QStringLiteral("application/json")},
        };
        QCOMPARE(kept.headers, expected);
    }

    void redactedQuery_secretParameters_valueGoes_restAsTyped_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("expected");
        QTest::newRow("path") << QStringLiteral("/a/b?page=2&api_key=ak-1&q=x%20y")
                              << QStringLiteral("/a/b?page=2&api_key=[redacted]&q=x%20y");
        QTest::newRow("url and fragment")
            << QStringLiteral("https://h:8443/p?Access-Token=tk-2&x=1#frag")
            << QStringLiteral("https://h:8443/p?Access-Token=[redacted]&x=1#frag");
        QTest::newRow("encoded name")
            << QStringLiteral("/p?refresh%5Ftoken=rt-3&client+secret=cs-4")
            << QStringLiteral("/p?refresh%5Ftoken=[redacted]&client+secret=[redacted]");
        QTest::newRow("no query") << QStringLiteral("/p/token/x") << QStringLiteral("/p/token/x");
        QTest::newRow("empty value, bare name")
            << QStringLiteral("/p?token=&password&sig=s-5")
            << QStringLiteral("/p?token=[redacted]&password&sig=[redacted]");
    }

    void redactedQuery_secretParameters_valueGoes_restAsTyped()
    {
        QFETCH(QString, target);
        QFETCH(QString, expected);
        QCOMPARE(redactedQuery(target), expected);
    }

    void redactedJsonFields_anyDepth_restByteForByte_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("flat") << QByteArray("{\"user\": \"bob\", \"password\": \"pw-1\"}")
                              << QByteArray("{\"user\": \"bob\", \"password\": \"[redacted]\"}");
        QTest::newRow("nested, arrays, any value type")
            << QByteArray("{\"a\":{\"b\":[{\"client_secret\":\"cs-2\",\"n\":1}],"
                          "\"refresh_token\":{\"v\":\"rt-3\",\"w\":[1,2]}},"
                          "\"apiKey\" : 12345, \"ok\":true,\"x\":[\"token\"]}")
            << QByteArray("{\"a\":{\"b\":[{\"client_secret\":\"[redacted]\",\"n\":1}],"
                          "\"refresh_token\":\"[redacted]\"},"
                          "\"apiKey\" : \"[redacted]\", \"ok\":true,\"x\":[\"token\"]}");
        QTest::newRow("escaped key and value")
            << QByteArray("[{\"api\\u004bey\": \"k\\\"ey-4\\\\\"}, {\"Session\":null}]")
            << QByteArray("[{\"api\\u004bey\": \"[redacted]\"}, {\"Session\":\"[redacted]\"}]");
        QTest::newRow("a value named like a key is kept")
            << QByteArray("{\"name\": \"token\", \"list\": [\"password\", \"x\"]}")
            << QByteArray("{\"name\": \"token\", \"list\": [\"password\", \"x\"]}");
        QTest::newRow("not JSON") << QByteArray("{\"password\": ") << QByteArray("{\"password\": ");
    }

    void redactedJsonFields_anyDepth_restByteForByte()
    {
        QFETCH(QByteArray, json);
        QFETCH(QByteArray, expected);
        QCOMPARE(redactedJsonFields(json), expected);
    }

    void redactedFormFields_secretFields()
    {
        QCOMPARE(redactedFormFields("grant_type=password&username=bob&password=pw-1&client_secret="
                                    "cs-2&scope=a+b&pass%77ord=pw-3"),
                 QByteArray("grant_type=password&username=bob&password=[redacted]&client_secret="
                            "[redacted]&scope=a+b&pass%77ord=[redacted]"));
    }

    void add_bodiesByContentType_jsonFormAndOther()
    {
        RequestHistory history(m_path);
        QVERIFY(history.load());
        // Form, typed or by default; JSON whatever its type says; other text: secrets only.
        QVERIFY(history.add(QStringLiteral("p"),
                            posted(QStringLiteral("/f"), "user=u&password=pw-form-1",
                                   QStringLiteral("application/x-www-form-urlencoded")),
                            {}));
        QVERIFY(history.add(QStringLiteral("p"),
                            posted(QStringLiteral("/n"), "user=u&password=pw-form-2", {}), {}));
        QVERIFY(history.add(QStringLiteral("p"),
                            posted(QStringLiteral("/j"), "{\"password\":\"pw-json-3\"}",
                                   QStringLiteral("text/plain")),
                            {}));
        HistoryEntry typed = posted(QStringLiteral("/h"), "password=pw-form-4", {});
        typed.request.headers = {
            {QStringLiteral("content-type"), QStringLiteral("application/x-www-form-urlencoded")}};
        QVERIFY(history.add(QStringLiteral("p"), typed, {}));
        const QByteArray file = bytesOf(m_path);
        for (const char *value : {"pw-form-1", "pw-form-2", "pw-json-3", "pw-form-4"}) {
            QVERIFY2(!file.contains(value), value);
        }
        QCOMPARE(history.entries(QStringLiteral("p")).at(3).request.body,
                 QByteArray("user=u&password=[redacted]"));
    }

    void add_storedSecretsAnywhere_inEveryForm_areRedacted()
    {
        Profile profile;
        profile.username = QStringLiteral("bob");
        profile.clientId = QStringLiteral("cli");
        Credentials stored;
        stored.password = QStringLiteral("Pa55/word+1");
        stored.clientSecret = QStringLiteral("client-secret-2");
        stored.refreshToken = QStringLiteral("refresh-token-3");
        stored.accessToken = QStringLiteral("access-token-4");
        const QString sentToken = QStringLiteral("sent-token-5");
        const QStringList secrets = secretForms(profile, stored) + QStringList {sentToken};

        const QString basic =
            QString::fromLatin1(QByteArray("bob:" + stored.password.toUtf8()).toBase64());
        HistoryEntry e = posted(QStringLiteral("/users/refresh-token-3/x?q=")
                                    + QString::fromLatin1(QUrl::toPercentEncoding(stored.password))
                                    + QStringLiteral("&n=sent-token-5"),
                                "{\"note\": \"Pa55\\/word+1 and client-secret-2\"}",
                                QStringLiteral("application/json"));
        e.request.headers = {{QStringLiteral("X-Note"), QStringLiteral("access-token-4")},
                             {QStringLiteral("X-Forwarded"), QStringLiteral("Basic ") + basic},
                             {QStringLiteral("X-refresh-token-3"), QStringLiteral("v")}};
        RequestHistory history(m_path);
        QVERIFY(history.load());
        QVERIFY(history.add(QStringLiteral("p"), e, secrets));

        const QByteArray file = bytesOf(m_path);
        for (const QString &secret :
             {stored.password, stored.clientSecret, stored.refreshToken, stored.accessToken,
              sentToken, basic, QString::fromLatin1(QUrl::toPercentEncoding(stored.password)),
              QStringLiteral("Pa55\\\\/word")}) {
            QVERIFY2(!file.contains(secret.toUtf8()), qPrintable(secret));
        }
        const HistoryEntry kept = history.entries(QStringLiteral("p")).first();
        QCOMPARE(kept.request.target,
                 QStringLiteral("/users/[redacted]/x?q=[redacted]&n=[redacted]"));
        QCOMPARE(kept.request.headers.at(0).second, QStringLiteral("[redacted]"));
        QCOMPARE(kept.request.headers.at(1).second, QStringLiteral("Basic [redacted]"));
        QCOMPARE(kept.request.headers.at(2).first, QStringLiteral("X-[redacted]"));
        QCOMPARE(kept.request.body, QByteArray("{\"note\": \"[redacted] and [redacted]\"}"));
    }

    void add_keepWithoutBodies_noBodyInTheFile()
    {
        RequestHistory history(m_path, [] { return RequestHistory::Keep::WithoutBodies; });
        QVERIFY(history.load());
        QVERIFY(history.add(QStringLiteral("p"),
                            posted(QStringLiteral("/b"), "{\"note\": \"body-text-1\"}",
                                   QStringLiteral("application/json")),
                            {}));
        QVERIFY(!bytesOf(m_path).contains("body-text-1"));
        const HistoryEntry kept = history.entries(QStringLiteral("p")).first();
        QCOMPARE(kept.request.target, QStringLiteral("/b"));
        QVERIFY(kept.request.body.isEmpty());
        QVERIFY(kept.bodyDropped);
    }

    void add_keepNothing_noFile_andAnOldOneGoes()
    {
        {
            RequestHistory history(m_path);
            QVERIFY(history.load());
            QVERIFY(history.add(QStringLiteral("p"), entry(QStringLiteral("/old")), {}));
        }
        QVERIFY(QFile::exists(m_path));
        RequestHistory history(m_path, [] { return RequestHistory::Keep::Nothing; });
        QVERIFY(history.load());
        QVERIFY(history.add(QStringLiteral("p"), entry(QStringLiteral("/new")), {}));
        QVERIFY(!QFile::exists(m_path));
        QVERIFY(history.entries(QStringLiteral("p")).isEmpty());
    }

    void applyKeep_dropsWhatIsNoLongerKept()
    {
        RequestHistory history(m_path);
        QVERIFY(history.load());
        QVERIFY(history.add(QStringLiteral("p"), posted(QStringLiteral("/b"), "a=body-text-2", {}),
                            {}));
        QVERIFY(bytesOf(m_path).contains("body-text-2"));
        QVERIFY(history.applyKeep(RequestHistory::Keep::WithoutBodies));
        QVERIFY(!bytesOf(m_path).contains("body-text-2"));
        QVERIFY(bytesOf(m_path).contains("/b"));
        QVERIFY(history.applyKeep(RequestHistory::Keep::Nothing));
        QVERIFY(!QFile::exists(m_path));
    }

    void keepNames_roundTrip()
    {
        for (const auto keep :
             {RequestHistory::Keep::Everything, RequestHistory::Keep::WithoutBodies,
              RequestHistory::Keep::Nothing}) {
            QCOMPARE(RequestHistory::keepFromName(RequestHistory::keepName(keep)), keep);
        }
        QVERIFY(!RequestHistory::keepFromName(QStringLiteral("some")));
    }

    void add_twoWriters_neitherDropsTheOther()
    {
        RequestHistory window(m_path);
        RequestHistory commandLine(m_path);
        QVERIFY(window.load());
        QVERIFY(commandLine.load());
        QVERIFY(window.add(QStringLiteral("p"), entry(QStringLiteral("/window")), {}));
        QVERIFY(commandLine.add(QStringLiteral("p"), entry(QStringLiteral("/cli")), {}));
        QVERIFY(window.add(QStringLiteral("p"), entry(QStringLiteral("/window2")), {}));
        RequestHistory reloaded(m_path);
        QVERIFY(reloaded.load());
        QCOMPARE(targets(reloaded.entries(QStringLiteral("p"))),
                 (QStringList {QStringLiteral("/window2"), QStringLiteral("/cli"),
                               QStringLiteral("/window")}));
    }

    void save_umaskZero_folderAndFileCreatedTheUsersOnly()
    {
        const Umask noMask(0);
        RequestHistory history(m_path);
        QVERIFY(history.load());
        QVERIFY(history.add(QStringLiteral("p"), entry(QStringLiteral("/1")), {}));
        QCOMPARE(modeOf(QFileInfo(m_path).absolutePath()), mode_t(0700));
        QCOMPARE(modeOf(m_path), mode_t(0600));
        // No temporary file left beside it.
        QCOMPARE(QDir(QFileInfo(m_path).absolutePath()).entryList(QDir::Files),
                 QStringList {QStringLiteral("history.json")});
    }

    void save_widerFolder_isNarrowed()
    {
        const QString folder = QFileInfo(m_path).absolutePath();
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(::chmod(QFile::encodeName(folder).constData(), 0755) == 0);
        RequestHistory history(m_path);
        QVERIFY(history.load());
        QVERIFY(history.add(QStringLiteral("p"), entry(QStringLiteral("/1")), {}));
        QCOMPARE(modeOf(folder), mode_t(0700));
    }

    void add_bodyOver64KiB_isNotKept()
    {
        RequestHistory history(m_path);
        QVERIFY(history.load());
        HistoryEntry big = entry(QStringLiteral("/big"));
        big.request.method = "PUT";
        big.request.body = QByteArray(RequestHistory::maxBodyBytes + 1, 'x');
        HistoryEntry limit = entry(QStringLiteral("/limit"));
        limit.request.method = "PUT";
        limit.request.body = QByteArray(RequestHistory::maxBodyBytes, 'y');
        QVERIFY(history.add(QStringLiteral("p"), big, {}));
        QVERIFY(history.add(QStringLiteral("p"), limit, {}));

        RequestHistory reloaded(m_path);
        QVERIFY(reloaded.load());
        const QList<HistoryEntry> entries = reloaded.entries(QStringLiteral("p"));
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.at(0).request.body, limit.request.body);
        QVERIFY(entries.at(1).request.body.isEmpty());
        QCOMPARE(entries.at(1).request.method, QByteArrayLiteral("PUT"));
        QVERIFY(QFileInfo(m_path).size() < 2 * RequestHistory::maxBodyBytes);
        QVERIFY(entries.at(1).bodyDropped); // and it says so
        QVERIFY(!entries.at(0).bodyDropped);
    }

    void add_bodiesOverTheBudget_theOldestBodiesGo_theRequestsStay()
    {
        RequestHistory history(m_path);
        QVERIFY(history.load());
        const int fitting = int(RequestHistory::maxKeptBodyBytes / RequestHistory::maxBodyBytes);
        const int extra = 6;
        const QDateTime start = QDateTime::currentDateTimeUtc();
        for (int i = 0; i < fitting + extra; ++i) {
            HistoryEntry e = entry(QStringLiteral("/post/%1").arg(i));
            e.request.method = "POST";
            e.request.body = QByteArray(RequestHistory::maxBodyBytes, char('a' + i % 26));
            e.sentAt = start.addSecs(i);
            // Spread over two profiles: the budget is the file's, not a profile's.
            QVERIFY(history.add(i % 2 ? QStringLiteral("odd") : QStringLiteral("even"), e, {}));
        }
        RequestHistory reloaded(m_path);
        QVERIFY(reloaded.load());
        int dropped = 0;
        int total = 0;
        for (const QString &profile : {QStringLiteral("odd"), QStringLiteral("even")}) {
            for (const HistoryEntry &e : reloaded.entries(profile)) {
                ++total;
                const int index = e.request.target.section(u'/', 2).toInt();
                const bool old = index < extra;
                QCOMPARE(e.bodyDropped, old);
                QCOMPARE(e.request.body.isEmpty(), old);
                dropped += e.bodyDropped ? 1 : 0;
            }
        }
        QCOMPARE(total, fitting + extra); // every request is still there
        QCOMPARE(dropped, extra);
        QVERIFY(QFileInfo(m_path).size()
                < RequestHistory::maxKeptBodyBytes + 64 * (fitting + extra) * 10);
    }

    void forget_dropsOnlyThatProfile_andIsSaved()
    {
        RequestHistory history(m_path);
        QVERIFY(history.load());
        QVERIFY(
            history.add(QStringLiteral("gone"), entry(QStringLiteral("/secret-path-of-gone")), {}));
        QVERIFY(history.add(QStringLiteral("stays"), entry(QStringLiteral("/s")), {}));
        QVERIFY(history.forget(QStringLiteral("gone")));
        QVERIFY(history.entries(QStringLiteral("gone")).isEmpty());
        QVERIFY(history.forget(QStringLiteral("never there")));

        QVERIFY(!bytesOf(m_path).contains("secret-path-of-gone"));
        RequestHistory reloaded(m_path);
        QVERIFY(reloaded.load());
        QVERIFY(reloaded.entries(QStringLiteral("gone")).isEmpty());
        QCOMPARE(targets(reloaded.entries(QStringLiteral("stays"))),
                 QStringList {QStringLiteral("/s")});
    }

    void load_corruptFile_isSetAside_andANewOneBegins_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("truncated JSON")
            << QByteArrayLiteral("{\"version\": 1, \"profiles\": {\"p\": [");
        QTest::newRow("not JSON") << QByteArrayLiteral("\x89PNG\r\n\x1a\n binary");
        QTest::newRow("an array") << QByteArrayLiteral("[1, 2, 3]");
    }

    void load_corruptFile_isSetAside_andANewOneBegins()
    {
        QFETCH(QByteArray, content);
        QVERIFY(QDir().mkpath(QFileInfo(m_path).absolutePath()));
        {
            QFile file(m_path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        RequestHistory history(m_path);
        const Result<void> loaded = history.load();
        QVERIFY(!loaded);
        QCOMPARE(loaded.error().kind(), Error::Kind::Storage);
        const QString aside = m_path + QStringLiteral(".unreadable");
        QVERIFY2(loaded.error().message().contains(aside), qPrintable(loaded.error().message()));
        QCOMPARE(bytesOf(aside), content);
        QVERIFY(!QFile::exists(m_path));

        QVERIFY(history.add(QStringLiteral("p"), entry(QStringLiteral("/after")), {}));
        RequestHistory reloaded(m_path);
        QVERIFY(reloaded.load());
        QCOMPARE(targets(reloaded.entries(QStringLiteral("p"))),
                 QStringList {QStringLiteral("/after")});
        QCOMPARE(bytesOf(aside), content); // the old bytes stay where they were put
    }

    void load_handEditedFileWithTooMany_keepsFifty()
    {
        {
            RequestHistory history(m_path);
            QVERIFY(history.load());
            QVERIFY(history.add(QStringLiteral("p"), entry(QStringLiteral("/x")), {}));
        }
        // Duplicate the one entry 70 times, as a hand edit might.
        QByteArray text = bytesOf(m_path);
        const qsizetype open = text.indexOf('[');
        const qsizetype close = text.lastIndexOf(']');
        QVERIFY(open > 0 && close > open);
        const QByteArray one = text.mid(open + 1, close - open - 1);
        QByteArrayList many;
        for (int i = 0; i < 70; ++i) {
            many.append(one);
        }
        text = text.left(open + 1) + many.join(',') + text.mid(close);
        {
            QFile file(m_path);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(text);
        }
        RequestHistory reloaded(m_path);
        QVERIFY(reloaded.load());
        QCOMPARE(reloaded.entries(QStringLiteral("p")).size(), RequestHistory::perProfile);
    }
};

QTEST_GUILESS_MAIN(TestRequestHistory)
#include "tst_requesthistory.moc"
