// The profiles file edited by hand (or by another program) into a state the
// command line would never write: a shared id, an id that is not
// well-formed, a plain-http token URL on another machine, a profile moved to
// another server. Against the emulator and the real keychain: the exit code,
// the message (naming the file and the profile), nothing sent, nothing lost.
#include "presetcases.h"
#include "testsupport.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace tokenkeeper::test;

namespace {

// Requests the emulator served, its own admin API left out.
int servedRequests(Emulator &emulator)
{
    int total = 0;
    const QJsonObject requests = emulator.get(QStringLiteral("/_emulator/stats"))
                                     .value(QStringLiteral("requests"))
                                     .toObject();
    for (auto it = requests.begin(); it != requests.end(); ++it) {
        if (!it.key().startsWith(QStringLiteral("/_emulator"))) {
            total += it.value().toInt();
        }
    }
    return total;
}

} // namespace

class TestCliProfileFile final : public QObject
{
    Q_OBJECT

    Emulator m_emulator;
    Cli m_cli;
    int m_profiles = 0;

    // The OAuth 2.0 password case: a user, a client and an optional token URL.
    static PresetCase oauthCase() { return presetCases().at(4); }

    QString path() const
    {
        return m_cli.configDir() + QStringLiteral("/tokenkeeper/profiles.json");
    }

    QJsonArray entries() const
    {
        QFile file(path());
        if (!file.open(QIODevice::ReadOnly)) {
            return {};
        }
        return QJsonDocument::fromJson(file.readAll())
            .object()
            .value(QStringLiteral("profiles"))
            .toArray();
    }

    void setEntries(const QJsonArray &entries)
    {
        QFile file(path());
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(QJsonObject {{QStringLiteral("schema"), 1},
                                              {QStringLiteral("profiles"), entries}})
                       .toJson());
    }

    // The entry named `name`, and its place.
    qsizetype indexOf(const QString &name) const
    {
        const QJsonArray all = entries();
        for (qsizetype i = 0; i < all.size(); ++i) {
            if (all.at(i).toObject().value(QStringLiteral("name")).toString() == name) {
                return i;
            }
        }
        return -1;
    }

    // A fresh profile, logged in; its name.
    QString addLoggedInProfile(const QString &prefix)
    {
        const QString name = QStringLiteral("%1 #%2").arg(prefix).arg(++m_profiles);
        return addLoggedIn(m_cli, oauthCase(), name, m_emulator.baseUrl()) ? name : QString();
    }

    QString idOf(const QString &name) const
    {
        return entries().at(indexOf(name)).toObject().value(QStringLiteral("id")).toString();
    }

    // Whether `token NAME` gives a token the protected API accepts.
    bool tokenWorks(const QString &name)
    {
        return tokenkeeper::test::tokenWorks(m_cli, m_emulator, oauthCase(), name);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_emulator.start(), "the demo server did not start"); }

    // A hand-copied entry: both copies refused (which one the keychain entry
    // belongs to cannot be told), the others work, and a later save keeps
    // both copies as they were.
    void sharedId_refusesBoth_othersWork_nothingSentNothingLost()
    {
        const QString original = addLoggedInProfile(QStringLiteral("shared"));
        const QString other = addLoggedInProfile(QStringLiteral("other"));
        QVERIFY(!original.isEmpty() && !other.isEmpty());
        const QString id = idOf(original);
        QJsonArray all = entries();
        QJsonObject copy = all.at(indexOf(original)).toObject();
        const QString copyName = original + QStringLiteral(" copy");
        copy.insert(QStringLiteral("name"), copyName);
        all.append(copy);
        setEntries(all);
        const int served = servedRequests(m_emulator);

        for (const QString &name : {original, copyName}) {
            const CliResult token = m_cli.run({QStringLiteral("token"), name});
            QCOMPARE(token.exitCode, 1); // the profiles file is unusable for it
            QVERIFY(token.out.isEmpty());
            const QString err = QString::fromUtf8(token.err);
            QVERIFY2(err.contains(path()), qPrintable(err));
            QVERIFY2(err.contains(QStringLiteral("\"%1\"").arg(original)), qPrintable(err));
            QVERIFY2(err.contains(QStringLiteral("\"%1 copy\"").arg(original)), qPrintable(err));
            QVERIFY2(err.contains(id), qPrintable(err));
        }
        const CliResult request =
            m_cli.run({QStringLiteral("request"), original, oauthCase().apiPath});
        QCOMPARE(request.exitCode, 1);
        QCOMPARE(servedRequests(m_emulator), served); // nothing was sent

        QVERIFY(tokenWorks(other));
        QVERIFY(keychainHolds(id));
        const CliResult list = m_cli.run({QStringLiteral("profile"), QStringLiteral("list")});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains(other.toUtf8()));
        QVERIFY2(list.err.contains("cannot be used"), list.err.constData());

        // A save (add) writes both copies back as they were.
        const CliResult added = m_cli.run(
            {QStringLiteral("profile"), QStringLiteral("add"), QStringLiteral("after the copy"),
             QStringLiteral("--preset"), QStringLiteral("sensu"), QStringLiteral("--url"),
             m_emulator.baseUrl().toString(), QStringLiteral("--username"), QStringLiteral("u")});
        QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        const QJsonArray after = entries();
        QCOMPARE(after.size(), all.size() + 1);
        QCOMPARE(after.at(indexOf(original)), all.at(indexOf(original)));
        QCOMPARE(after.at(indexOf(copyName)), QJsonValue(copy));

        // Mended by hand (the copy removed): the original works again.
        QJsonArray mended = entries();
        mended.removeAt(indexOf(copyName));
        setEntries(mended);
        QVERIFY(tokenWorks(original));
    }

    // An id that would climb out of the locks folder is refused before it
    // becomes a path or a keychain key.
    void idWithParentFolder_isRefused_andNeverAPath()
    {
        const QString name = addLoggedInProfile(QStringLiteral("climber"));
        QVERIFY(!name.isEmpty());
        const QString id = idOf(name);
        const QString evil = QStringLiteral("../../escaped-") + QString::number(m_profiles);
        QJsonArray all = entries();
        QJsonObject entry = all.at(indexOf(name)).toObject();
        entry.insert(QStringLiteral("id"), evil);
        all.replace(indexOf(name), entry);
        setEntries(all);
        const int served = servedRequests(m_emulator);

        for (const QStringList &args :
             {QStringList {QStringLiteral("token"), name},
              QStringList {QStringLiteral("login"), name},
              QStringList {QStringLiteral("logout"), name},
              QStringList {QStringLiteral("profile"), QStringLiteral("remove"), name}}) {
            const CliResult result = m_cli.run(args, oauthCase().secret + '\n');
            QVERIFY2(result.exitCode == 1, qPrintable(args.join(u' ') + result.describe()));
            const QString err = QString::fromUtf8(result.err);
            QVERIFY2(err.contains(path()), qPrintable(err));
            QVERIFY2(err.contains(QStringLiteral("\"%1\"").arg(name)), qPrintable(err));
            QVERIFY2(err.contains(evil), qPrintable(err));
        }
        QCOMPARE(servedRequests(m_emulator), served);
        // No lock file, history or anything else was made of it.
        QDirIterator it(m_cli.rootDir(), QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QVERIFY2(!it.next().contains(QStringLiteral("escaped-")), qPrintable(it.filePath()));
        }
        QVERIFY(!QFile::exists(m_cli.rootDir() + QStringLiteral("/escaped-")
                               + QString::number(m_profiles) + QStringLiteral(".lock")));
        // Nothing lost: the entry and the keychain entry of its real id stay.
        QCOMPARE(entries().at(indexOf(name)), QJsonValue(entry));
        QVERIFY(keychainHolds(id));
        entry.insert(QStringLiteral("id"), id); // mended
        all.replace(indexOf(name), entry);
        setEntries(all);
        QVERIFY(tokenWorks(name));
    }

    // A token URL on another machine over plain http, written into the file:
    // refused as `--token-url` refuses it, for that profile only.
    void remoteHttpTokenUrl_isRefusedAsOnTheCommandLine()
    {
        const QString name = addLoggedInProfile(QStringLiteral("plain"));
        const QString other = addLoggedInProfile(QStringLiteral("bystander"));
        QVERIFY(!name.isEmpty() && !other.isEmpty());
        const QString remote = QStringLiteral("http://tokens.invalid/oauth/token");

        const CliResult viaOption = m_cli.run({QStringLiteral("profile"), QStringLiteral("edit"),
                                               name, QStringLiteral("--token-url"), remote});
        QCOMPARE(viaOption.exitCode, 2);
        QVERIFY2(viaOption.err.contains("https://"), viaOption.err.constData());

        QJsonArray all = entries();
        QJsonObject entry = all.at(indexOf(name)).toObject();
        entry.insert(QStringLiteral("tokenUrl"), remote);
        all.replace(indexOf(name), entry);
        setEntries(all);
        const int served = servedRequests(m_emulator);

        const CliResult token = m_cli.run({QStringLiteral("token"), name});
        QCOMPARE(token.exitCode, 1);
        const QString err = QString::fromUtf8(token.err);
        QVERIFY2(err.contains(path()), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("\"%1\"").arg(name)), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("token URL")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("https://")), qPrintable(err));
        QCOMPARE(servedRequests(m_emulator), served);
        QVERIFY(tokenWorks(other));
        QCOMPARE(entries().at(indexOf(name)), QJsonValue(entry));
        QVERIFY(keychainHolds(idOf(name)));
    }

    // The profile moved by hand to another server: the secret stored for
    // the first one is never sent to the second; "log in again".
    void accountChangedInTheFile_oldSecretNotSent_loginRequired()
    {
        Emulator elsewhere;
        QVERIFY(elsewhere.start());
        const QString name = addLoggedInProfile(QStringLiteral("moved"));
        QVERIFY(!name.isEmpty());
        const QString id = idOf(name);
        QJsonArray all = entries();
        QJsonObject entry = all.at(indexOf(name)).toObject();
        const QString before = entry.value(QStringLiteral("baseUrl")).toString();
        entry.insert(QStringLiteral("baseUrl"), elsewhere.baseUrl().toString());
        all.replace(indexOf(name), entry);
        setEntries(all);
        const int served = servedRequests(m_emulator);

        const CliResult token = m_cli.run({QStringLiteral("token"), name});
        QCOMPARE(token.exitCode, 3); // log in again
        QVERIFY(token.out.isEmpty());
        const QString err = QString::fromUtf8(token.err);
        QVERIFY2(err.contains(QStringLiteral("belongs to user \"%1\"")
                                  .arg(QLatin1String(tokenkeeper::emulator::demo::oauthUser))),
                 qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral(" at ")
                              + QUrl(before).adjusted(QUrl::RemovePath).toString()),
                 qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("now names")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("tokenkeeper login")), qPrintable(err));
        QCOMPARE(servedRequests(elsewhere), 0);
        QCOMPARE(servedRequests(m_emulator), served);
        QVERIFY(keychainHolds(id)); // left as it is until the next login

        // Logging in again replaces it, for the new server.
        const CliResult login =
            m_cli.run({QStringLiteral("login"), name}, oauthCase().secret + '\n');
        QVERIFY2(login.exitCode == 0, qPrintable(login.describe()));
        const CliResult again = m_cli.run({QStringLiteral("token"), name});
        QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
        QCOMPARE(elsewhere.call("GET", oauthCase().apiPath, again.out.trimmed()), 200);
    }
};

QTEST_GUILESS_MAIN(TestCliProfileFile)
#include "tst_cli_profile_file.moc"
