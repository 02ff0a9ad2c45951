// RequestHistory: the last requests per profile in one file of the user's,
// newest first, capped, kept across restarts, with no token in any byte.
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
        QCOMPARE(kept.request.headers.at(0).second, QStringLiteral("key [redacted]"));
        QCOMPARE(kept.request.headers.at(1).second, QStringLiteral("kept"));
        QCOMPARE(kept.request.body, QByteArrayLiteral("{\"token\": \"[redacted]\", \"n\": 1}"));

        RequestHistory reloaded(m_path);
        QVERIFY(reloaded.load());
        QVERIFY(reloaded.entries(QStringLiteral("p")).first().request == kept.request);
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
