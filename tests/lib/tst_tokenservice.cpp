// TokenService against the emulators over real sockets, with the real
// keychain (wrapped to watch or break its writes): single flight, rotation
// order, keychain write failures, 401 reports, login required per preset.
#include "auth/authclient.h"
#include "auth/presetregistry.h"
#include "auth/tokenservice.h"
#include "core/clock.h"
#include "democredentials.h"
#include "net/httpclient.h"
#include "platform/waketimer.h"
#include "scheduler/refreshscheduler.h"
#include "secrets/keychainsecretstore.h"
#include "secrets/profilelocks.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <utility>

using namespace tokenkeeper;
using namespace tokenkeeper::test;

namespace {

// The real keychain, with a log of completed writes, a switch that makes
// writes fail, as a locked or broken keychain would, and a hook run as the
// next write starts.
class WatchedSecretStore final : public SecretStore
{
public:
    explicit WatchedSecretStore(SecretStore *real)
        : m_real(real)
    { }
    void read(const QString &key, QObject *context, ReadDone done) override
    {
        m_real->read(key, context, std::move(done));
    }
    void write(const QString &key, const QByteArray &secret, QObject *context, Done done) override
    {
        if (beforeNextWrite) {
            const auto hook = std::exchange(beforeNextWrite, nullptr);
            hook();
        }
        if (failWrites) {
            QTimer::singleShot(0, context, [done = std::move(done)] {
                done(Error(Error::Kind::Keychain, QStringLiteral("Keychain error: locked")));
            });
            return;
        }
        m_real->write(key, secret, context,
                      [this, secret, done = std::move(done)](Result<void> result) {
                          if (result) {
                              events.append(QStringLiteral("written ")
                                            + Credentials::fromJson(secret)->refreshToken);
                          }
                          done(result);
                      });
    }
    void remove(const QString &key, QObject *context, Done done) override
    {
        m_real->remove(key, context, std::move(done));
    }

    bool failWrites = false;
    QStringList events;
    std::function<void()> beforeNextWrite;

private:
    SecretStore *m_real;
};

struct Harness
{
    SystemClock clock;
    QNetworkAccessManager nam;
    HttpClient http {&nam, {5000, 1024 * 1024}};
    AuthClient auth {&http, clock};
    KeychainSecretStore keychain {QStringLiteral("Tokenkeeper test"), 10'000};
    WatchedSecretStore secrets {&keychain};
    PresetRegistry presets = PresetRegistry::load({});
    TokenService tokens {&auth, &secrets, presets, clock};
};

Result<TokenSet> wait(std::optional<Result<TokenSet>> &slot)
{
    if (!QTest::qWaitFor([&slot] { return slot.has_value(); }, 30'000)) {
        return Error(Error::Kind::Network, QStringLiteral("test: no answer"));
    }
    return *slot;
}

} // namespace

class TestTokenService final : public QObject
{
    Q_OBJECT

    Emulator m_emulator;

    Profile profileFor(const QString &preset, const QString &username = {},
                       const QString &clientId = {})
    {
        Profile profile;
        profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        profile.name = preset + QStringLiteral(" test");
        profile.preset = preset;
        profile.baseUrl = m_emulator.baseUrl();
        profile.username = username;
        profile.clientId = clientId;
        return profile;
    }

    Profile sensu()
    {
        return profileFor(QStringLiteral("sensu"), QLatin1String(emulator::demo::sensuUser));
    }

    Result<TokenSet> login(TokenService &tokens, const Profile &profile, const char *secret)
    {
        std::optional<Result<TokenSet>> slot;
        tokens.login(profile, QLatin1String(secret), this,
                     [&slot](Result<TokenSet> result) { slot.emplace(result); });
        return wait(slot);
    }

    Result<TokenSet> token(TokenService &tokens, const Profile &profile, int minValid)
    {
        std::optional<Result<TokenSet>> slot;
        tokens.token(profile, minValid, this,
                     [&slot](Result<TokenSet> result) { slot.emplace(result); });
        return wait(slot);
    }

    // Holds the next answer of a token endpoint back for `delayMs`.
    void slowNextTokenAnswer(int delayMs)
    {
        m_emulator.post(QStringLiteral("/_emulator/fault"),
                        {{QStringLiteral("mode"), QStringLiteral("slow")},
                         {QStringLiteral("delayMs"), delayMs},
                         {QStringLiteral("target"), QStringLiteral("token")},
                         {QStringLiteral("count"), 1}});
    }

    int requests(const QString &path) { return stat(QStringLiteral("requests"), path); }

    std::optional<QByteArray> stored(Harness &h, const Profile &profile)
    {
        std::optional<Result<std::optional<QByteArray>>> slot;
        h.keychain.read(TokenService::secretKey(profile), this,
                        [&slot](Result<std::optional<QByteArray>> read) { slot.emplace(read); });
        if (!QTest::qWaitFor([&slot] { return slot.has_value(); }, 10'000) || !*slot) {
            qWarning("test: the keychain did not answer");
            return QByteArray("?");
        }
        return **slot;
    }

    int stat(const QString &group, const QString &server)
    {
        return m_emulator.get(QStringLiteral("/_emulator/stats"))
            .value(group)
            .toObject()
            .value(server)
            .toInt();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_emulator.start()); }
    void init() { m_emulator.post(QStringLiteral("/_emulator/reset")); }

    // The keychain entry of `profile` as stored, or nothing.
    std::optional<QJsonObject> storedEntry(Harness &h, const Profile &profile)
    {
        std::optional<Result<std::optional<QByteArray>>> slot;
        h.keychain.read(TokenService::secretKey(profile), this,
                        [&slot](Result<std::optional<QByteArray>> read) { slot.emplace(read); });
        if (!QTest::qWaitFor([&slot] { return slot.has_value(); }, 15'000) || !*slot
            || !(*slot)->has_value()) {
            return std::nullopt;
        }
        return QJsonDocument::fromJson(***slot).object();
    }

    bool writeEntry(Harness &h, const Profile &profile, const QJsonObject &json)
    {
        std::optional<Result<void>> slot;
        h.keychain.write(TokenService::secretKey(profile), QJsonDocument(json).toJson(), this,
                         [&slot](Result<void> written) { slot.emplace(written); });
        return QTest::qWaitFor([&slot] { return slot.has_value(); }, 15'000) && *slot;
    }

    // Each keychain entry records the account it belongs to; a profile
    // changed (outside Tokenkeeper) to another user or server does not use
    // it: log in again, and nothing is sent.
    void storedSecret_ofAnotherAccount_isNotSent_andSaysWhose_data()
    {
        QTest::addColumn<QString>("field");
        QTest::newRow("user") << QStringLiteral("user");
        QTest::newRow("server") << QStringLiteral("server");
        QTest::newRow("token url") << QStringLiteral("token url");
    }

    void storedSecret_ofAnotherAccount_isNotSent_andSaysWhose()
    {
        QFETCH(QString, field);
        Harness h;
        const Profile profile = sensu();
        QVERIFY(login(h.tokens, profile, emulator::demo::sensuPassword));
        const auto entry = storedEntry(h, profile);
        QVERIFY(entry);
        const QJsonObject account = entry->value(QStringLiteral("account")).toObject();
        QCOMPARE(account.value(QStringLiteral("user")).toString(),
                 QLatin1String(emulator::demo::sensuUser));
        QCOMPARE(account.value(QStringLiteral("preset")).toString(), QStringLiteral("sensu"));
        QCOMPARE(account.value(QStringLiteral("server")).toString(),
                 m_emulator.baseUrl().adjusted(QUrl::RemovePath).toString());

        Profile edited = profile;
        if (field == u"user") {
            edited.username = QStringLiteral("mallory");
        } else if (field == u"server") {
            edited.baseUrl.setPort(1); // nothing listens there; nothing may go there
        } else {
            edited.tokenUrl = QUrl(QStringLiteral("http://127.0.0.1:1/token"));
        }
        const int refreshes = stat(QStringLiteral("refreshes"), QStringLiteral("sensu"));
        const int logins = stat(QStringLiteral("logins"), QStringLiteral("sensu"));
        h.tokens.forgetCached(profile.id); // as a new process would
        const auto result = token(h.tokens, edited, TokenProvider::forceRenewal);
        QVERIFY(!result);
        QCOMPARE(result.error().kind(), Error::Kind::LoginRequired);
        const QString message = result.error().message();
        QVERIFY2(message.contains(QStringLiteral("belongs to user \"%1\" at %2")
                                      .arg(QLatin1String(emulator::demo::sensuUser),
                                           account.value(QStringLiteral("server")).toString())),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("log in again")), qPrintable(message));
        QCOMPARE(stat(QStringLiteral("refreshes"), QStringLiteral("sensu")), refreshes);
        QCOMPARE(stat(QStringLiteral("logins"), QStringLiteral("sensu")), logins);
        // The entry is left as it is, and still works for the account it belongs to.
        QCOMPARE(storedEntry(h, profile), entry);
        QVERIFY(token(h.tokens, profile, TokenProvider::forceRenewal));
    }

    // An entry written before accounts were recorded is adopted for the
    // profile as it is, and records the account at its next write.
    void entryOfAnEarlierVersion_isAdopted_andRecordedOnTheNextWrite()
    {
        Harness h;
        const Profile profile = sensu();
        QVERIFY(login(h.tokens, profile, emulator::demo::sensuPassword));
        auto entry = storedEntry(h, profile);
        QVERIFY(entry);
        entry->remove(QStringLiteral("account"));
        QVERIFY(writeEntry(h, profile, *entry));
        QVERIFY(!storedEntry(h, profile)->contains(QStringLiteral("account")));

        h.tokens.forgetCached(profile.id);
        QVERIFY(token(h.tokens, profile, TokenProvider::forceRenewal));
        const auto upgraded = storedEntry(h, profile);
        QVERIFY(upgraded);
        QCOMPARE(upgraded->value(QStringLiteral("account"))
                     .toObject()
                     .value(QStringLiteral("user"))
                     .toString(),
                 QLatin1String(emulator::demo::sensuUser));
    }

    void singleFlight_manyWaiters_shareOneRefresh()
    {
        Harness h;
        const Profile profile = sensu();
        QVERIFY(login(h.tokens, profile, emulator::demo::sensuPassword));
        const int before = stat(QStringLiteral("refreshes"), QStringLiteral("sensu"));
        constexpr int waiters = 20;
        QList<std::optional<Result<TokenSet>>> answers(waiters);
        for (int i = 0; i < waiters; ++i) {
            h.tokens.token(profile, TokenProvider::forceRenewal, this,
                           [&answers, i](Result<TokenSet> result) { answers[i].emplace(result); });
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(answers.cbegin(), answers.cend(),
                                             [](const auto &a) { return a.has_value(); }),
                                 20'000);
        for (const auto &answer : answers) {
            QVERIFY(answer->ok());
            QCOMPARE(answer->value().accessToken, answers.first()->value().accessToken);
        }
        QCOMPARE(stat(QStringLiteral("refreshes"), QStringLiteral("sensu")), before + 1);
        QCOMPARE(stat(QStringLiteral("reuseDetected"), QStringLiteral("sensu")), 0);
    }

    void rotation_isWrittenToTheKeychainBeforeTheTokenIsHandedOut()
    {
        Harness h;
        const Profile profile = sensu();
        QVERIFY(login(h.tokens, profile, emulator::demo::sensuPassword));
        h.secrets.events.clear();
        std::optional<Result<TokenSet>> slot;
        h.tokens.token(profile, TokenProvider::forceRenewal, this,
                       [&slot, &h](Result<TokenSet> result) {
                           h.secrets.events.append(QStringLiteral("handed out"));
                           slot.emplace(result);
                       });
        QVERIFY(wait(slot));
        // A probe write (nothing new), then the rotated token, then the hand-out.
        QCOMPARE(h.secrets.events.size(), 3);
        QCOMPARE(h.secrets.events.last(), QStringLiteral("handed out"));
        const QString rotated = h.secrets.events.at(1).mid(8);
        QVERIFY(!rotated.isEmpty());
        QVERIFY(h.secrets.events.at(0) != h.secrets.events.at(1)); // it did rotate
        QVERIFY(m_emulator.issuedTokens().contains(rotated));
    }

    void keychainWriteFails_commandLine_doesNotSpendTheRefreshToken()
    {
        Harness h;
        const Profile profile = sensu();
        QVERIFY(login(h.tokens, profile, emulator::demo::sensuPassword));
        const int before = stat(QStringLiteral("refreshes"), QStringLiteral("sensu"));
        h.secrets.failWrites = true;
        const auto result = token(h.tokens, profile, TokenProvider::forceRenewal);
        QVERIFY(!result);
        QCOMPARE(result.error().kind(), Error::Kind::Keychain);
        QVERIFY(result.error().message().contains(QStringLiteral("nothing is lost")));
        QCOMPARE(stat(QStringLiteral("refreshes"), QStringLiteral("sensu")), before);
        h.secrets.failWrites = false;
        QVERIFY(token(h.tokens, profile, TokenProvider::forceRenewal));
    }

    void keychainWriteFails_agent_keepsTheNewestInMemory_andRetriesTheWrite()
    {
        Harness h;
        h.tokens.setLongLived(true);
        const Profile profile = sensu();
        QVERIFY(login(h.tokens, profile, emulator::demo::sensuPassword));
        QStringList failures;
        connect(
            &h.tokens, &TokenService::keychainWriteFailed, this,
            [&failures](const QString &, const Error &error) { failures.append(error.message()); });
        QSignalSpy recovered(&h.tokens, &TokenService::keychainWriteRecovered);
        h.secrets.failWrites = true;

        // Handed out although the write failed; reported; kept as the newest.
        const auto first = token(h.tokens, profile, TokenProvider::forceRenewal);
        QVERIFY(first);
        QCOMPARE(failures.size(), 1);
        QVERIFY(failures.first().contains(QStringLiteral("locked")));
        QVERIFY(h.tokens.hasUnsavedRotation(profile.id));
        // The next renewal uses the newest refresh token from memory, not the
        // keychain's older one: no reuse detected.
        QVERIFY(token(h.tokens, profile, TokenProvider::forceRenewal));
        QCOMPARE(stat(QStringLiteral("reuseDetected"), QStringLiteral("sensu")), 0);

        // The keychain comes back: the retry stores the newest.
        h.secrets.failWrites = false;
        QTRY_COMPARE_WITH_TIMEOUT(recovered.count(), 1, 15'000);
        QVERIFY(!h.tokens.hasUnsavedRotation(profile.id));
        // A fresh process (only the keychain) can go on from there.
        Harness fresh;
        QVERIFY(token(fresh.tokens, profile, TokenProvider::forceRenewal));
        QCOMPARE(stat(QStringLiteral("reuseDetected"), QStringLiteral("sensu")), 0);
    }

    // lock() keeps a rotation the keychain refused (the only copy of the
    // newest refresh token): the next renewal spends it, not the keychain's
    // older one, which Sensu would take for a reuse and end the session.
    void lock_keepsAnUnsavedRotation_theNextRenewalSpendsIt()
    {
        Harness h;
        h.tokens.setLongLived(true);
        const Profile profile = sensu();
        QVERIFY(login(h.tokens, profile, emulator::demo::sensuPassword));
        h.secrets.failWrites = true;
        QVERIFY(token(h.tokens, profile, TokenProvider::forceRenewal));
        QVERIFY(h.tokens.hasUnsavedRotation(profile.id));

        QSignalSpy locked(&h.tokens, &TokenService::locked);
        QCOMPARE(h.tokens.lock(), QStringList {profile.id});
        QCOMPARE(locked.count(), 1);
        QVERIFY(h.tokens.isLocked());
        QVERIFY(!h.tokens.cached(profile.id));
        QCOMPARE(h.tokens.unsavedRotations(), QStringList {profile.id});

        h.secrets.failWrites = false;
        QSignalSpy unlocked(&h.tokens, &TokenService::unlocked);
        QVERIFY(token(h.tokens, profile, TokenProvider::forceRenewal));
        QCOMPARE(stat(QStringLiteral("reuseDetected"), QStringLiteral("sensu")), 0);
        QCOMPARE(unlocked.count(), 1);
        QVERIFY(!h.tokens.isLocked());
    }

    // Locked while a renewal is under way: it stores what it spent and
    // answers who asked, but its token does not stay in memory, and the
    // service stays locked until a use after the lock.
    void lock_duringARenewal_answeredAndStored_butNotKept()
    {
        Harness h;
        h.tokens.setLongLived(true);
        const Profile profile = sensu();
        QVERIFY(login(h.tokens, profile, emulator::demo::sensuPassword));
        slowNextTokenAnswer(1500);
        std::optional<Result<TokenSet>> slot;
        h.tokens.token(profile, TokenProvider::forceRenewal, this,
                       [&slot](Result<TokenSet> result) { slot.emplace(result); });
        QTRY_VERIFY_WITH_TIMEOUT(h.tokens.busy(), 5000);
        h.tokens.lock();
        const auto renewed = wait(slot);
        QVERIFY(renewed);
        QVERIFY(!h.tokens.cached(profile.id));
        QVERIFY(h.tokens.isLocked());
        QCOMPARE(Credentials::fromJson(*stored(h, profile))->refreshToken, renewed->refreshToken);

        // The next use reads the keychain: the stored access token, no refresh.
        const int refreshes = stat(QStringLiteral("refreshes"), QStringLiteral("sensu"));
        const auto used = token(h.tokens, profile, 0);
        QVERIFY(used);
        QCOMPARE(used->accessToken, renewed->accessToken);
        QCOMPARE(stat(QStringLiteral("refreshes"), QStringLiteral("sensu")), refreshes);
        QVERIFY(!h.tokens.isLocked());
        QVERIFY(h.tokens.cached(profile.id));
    }

    // The one lock rule in a long-lived service (the agent): a renewal holds
    // the profile's lock from before the keychain is read; while another
    // process holds it (here a QLockFile of this one, which ProfileLocks
    // cannot tell from another process), nothing is read or spent.
    void longLivedWithLocks_aRenewalWaitsForTheLockHeldElsewhere()
    {
        Harness h;
        h.tokens.setLongLived(true);
        QTemporaryDir lockDir;
        ProfileLocks locks(lockDir.path());
        h.tokens.setProfileLocks(&locks);
        const Profile profile = sensu();
        QVERIFY(login(h.tokens, profile, emulator::demo::sensuPassword));
        const int before = stat(QStringLiteral("refreshes"), QStringLiteral("sensu"));

        QLockFile elsewhere(lockDir.path() + u'/' + profile.id + QStringLiteral(".lock"));
        elsewhere.setStaleLockTime(0);
        QVERIFY(elsewhere.tryLock(0));
        std::optional<Result<TokenSet>> slot;
        h.tokens.token(profile, TokenProvider::forceRenewal, this,
                       [&slot](Result<TokenSet> result) { slot.emplace(result); });
        QTest::qWait(1000);
        QVERIFY(!slot);
        QCOMPARE(stat(QStringLiteral("refreshes"), QStringLiteral("sensu")), before);

        elsewhere.unlock();
        QVERIFY(wait(slot));
        QCOMPARE(stat(QStringLiteral("refreshes"), QStringLiteral("sensu")), before + 1);
    }

    void longLivedWithLocks_theLockHeldTooLong_failsNamingTheProfile()
    {
        Harness h;
        h.tokens.setLongLived(true);
        QTemporaryDir lockDir;
        ProfileLocks locks(lockDir.path());
        locks.setWaitLimitMs(300);
        h.tokens.setProfileLocks(&locks);
        const Profile profile = sensu();
        QLockFile elsewhere(lockDir.path() + u'/' + profile.id + QStringLiteral(".lock"));
        QVERIFY(elsewhere.tryLock(0));
        const auto result = token(h.tokens, profile, 30);
        QVERIFY(!result);
        QCOMPARE(result.error().kind(), Error::Kind::Storage);
        QVERIFY(result.error().message().contains(profile.name));
        QVERIFY(!h.tokens.busy());
    }

    void reportedUnauthorized_oneRenewalForEverybody()
    {
        Harness h;
        const Profile profile = profileFor(QStringLiteral("squidex"), {},
                                           QLatin1String(emulator::demo::squidexClientId));
        const auto first = login(h.tokens, profile, emulator::demo::squidexClientSecret);
        QVERIFY(first);
        // Key rotation on the server: the 30-day token dies now.
        m_emulator.post(QStringLiteral("/_emulator/revoke"),
                        {{QStringLiteral("server"), QStringLiteral("squidex")}});
        QCOMPARE(m_emulator.call("GET", QStringLiteral("/api/apps/demo-app/schemas"),
                                 first->accessToken.toUtf8()),
                 401);
        const int before = stat(QStringLiteral("logins"), QStringLiteral("squidex"));
        QList<std::optional<Result<TokenSet>>> answers(5);
        for (int i = 0; i < 5; ++i) {
            h.tokens.renewRejected(profile, first->accessToken, this,
                                   [&answers, i](Result<TokenSet> r) { answers[i].emplace(r); });
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(answers.cbegin(), answers.cend(),
                                             [](const auto &a) { return a.has_value(); }),
                                 20'000);
        const QString renewed = answers.first()->value().accessToken;
        QVERIFY(renewed != first->accessToken);
        for (const auto &answer : answers) {
            QCOMPARE(answer->value().accessToken, renewed);
        }
        QCOMPARE(stat(QStringLiteral("logins"), QStringLiteral("squidex")), before + 1);
        QCOMPARE(
            m_emulator.call("GET", QStringLiteral("/api/apps/demo-app/schemas"), renewed.toUtf8()),
            200);
        // A late report about the old token gets the new one without another renewal.
        std::optional<Result<TokenSet>> late;
        h.tokens.renewRejected(profile, first->accessToken, this,
                               [&late](Result<TokenSet> r) { late.emplace(r); });
        QCOMPARE(wait(late)->accessToken, renewed);
        QCOMPARE(stat(QStringLiteral("logins"), QStringLiteral("squidex")), before + 1);
    }

    void login_cancelledWhileTheServerIsSlow_storesNothing_andEndsTheSession()
    {
        Harness h;
        const Profile profile = sensu();
        QSignalSpy obtained(&h.tokens, &TokenService::tokenObtained);
        slowNextTokenAnswer(1500);
        bool answered = false;
        const auto ticket =
            h.tokens.login(profile, QLatin1String(emulator::demo::sensuPassword), this,
                           [&answered](const Result<TokenSet> &) { answered = true; });
        QTRY_COMPARE_WITH_TIMEOUT(requests(QStringLiteral("/auth")), 1, 10'000);
        QVERIFY(h.tokens.cancelLogin(ticket));
        QVERIFY(!h.tokens.cancelLogin(ticket)); // once is enough

        // The answer arrives; the session it opened is ended at once.
        QTRY_COMPARE_WITH_TIMEOUT(requests(QStringLiteral("/auth/logout")), 1, 10'000);
        QCOMPARE(stat(QStringLiteral("logins"), QStringLiteral("sensu")), 1);
        QTest::qWait(100); // room for anything that should not happen
        QVERIFY(!answered);
        QCOMPARE(obtained.count(), 0);
        QVERIFY(!h.tokens.cached(profile.id));
        QVERIFY(!stored(h, profile).has_value());
        const auto after = token(h.tokens, profile, 60);
        QVERIFY(!after);
        QCOMPARE(after.error().kind(), Error::Kind::NotLoggedIn);
        QCOMPARE(obtained.count(), 0);
    }

    void login_slowServer_notCancelled_isStored()
    {
        Harness h;
        const Profile profile = sensu();
        QSignalSpy obtained(&h.tokens, &TokenService::tokenObtained);
        slowNextTokenAnswer(1500);
        const auto result = login(h.tokens, profile, emulator::demo::sensuPassword);
        QVERIFY(result);
        QCOMPARE(obtained.count(), 1);
        QCOMPARE(requests(QStringLiteral("/auth/logout")), 0);
        // Another process (only the keychain) carries on from it.
        Harness fresh;
        QCOMPARE(token(fresh.tokens, profile, 60)->accessToken, result->accessToken);
        QVERIFY(token(fresh.tokens, profile, TokenProvider::forceRenewal));
        QCOMPARE(stat(QStringLiteral("reuseDetected"), QStringLiteral("sensu")), 0);
    }

    void login_cancelledWhileARefreshRuns_theRefreshAndTheEarlierLoginStay()
    {
        Harness h;
        const Profile profile = sensu();
        QVERIFY(login(h.tokens, profile, emulator::demo::sensuPassword));
        slowNextTokenAnswer(3000);
        const auto ticket =
            h.tokens.login(profile, QLatin1String(emulator::demo::sensuPassword), this,
                           [](const Result<TokenSet> &) { QFAIL("a cancelled login answered"); });
        QTRY_COMPARE_WITH_TIMEOUT(requests(QStringLiteral("/auth")), 2, 10'000);
        // Meanwhile the earlier login's refresh token is spent and rotated.
        const auto refreshed = token(h.tokens, profile, TokenProvider::forceRenewal);
        QVERIFY(refreshed);
        QCOMPARE(stat(QStringLiteral("logins"), QStringLiteral("sensu")), 1); // still held back
        QVERIFY(h.tokens.cancelLogin(ticket));
        QTRY_COMPARE_WITH_TIMEOUT(requests(QStringLiteral("/auth/logout")), 1, 10'000);

        QCOMPARE(token(h.tokens, profile, 60)->accessToken, refreshed->accessToken);
        // The rotated refresh token was stored: another process goes on from it.
        Harness fresh;
        QCOMPARE(token(fresh.tokens, profile, 60)->accessToken, refreshed->accessToken);
        QVERIFY(token(fresh.tokens, profile, TokenProvider::forceRenewal));
        QCOMPARE(stat(QStringLiteral("reuseDetected"), QStringLiteral("sensu")), 0);
    }

    void login_cancelledWhileTheEntryIsWritten_putsTheEarlierLoginBack()
    {
        Harness h;
        const Profile profile = sensu();
        const auto earlier = login(h.tokens, profile, emulator::demo::sensuPassword);
        QVERIFY(earlier);
        const std::optional<QByteArray> entry = stored(h, profile);
        QVERIFY(entry.has_value());
        QSignalSpy obtained(&h.tokens, &TokenService::tokenObtained);
        TokenService::LoginTicket ticket = 0;
        h.secrets.beforeNextWrite = [&h, &ticket] { QVERIFY(h.tokens.cancelLogin(ticket)); };
        ticket =
            h.tokens.login(profile, QLatin1String(emulator::demo::sensuPassword), this,
                           [](const Result<TokenSet> &) { QFAIL("a cancelled login answered"); });
        QTRY_COMPARE_WITH_TIMEOUT(requests(QStringLiteral("/auth/logout")), 1, 10'000);
        QVERIFY(!h.secrets.beforeNextWrite); // it was cancelled during the write
        QCOMPARE(obtained.count(), 0);
        QVERIFY(stored(h, profile) == entry);
        QCOMPARE(token(h.tokens, profile, 60)->accessToken, earlier->accessToken);
        QVERIFY(token(h.tokens, profile, TokenProvider::forceRenewal));
        QCOMPARE(stat(QStringLiteral("reuseDetected"), QStringLiteral("sensu")), 0);
    }

    void rejection_movesTheProfileToLoginRequired_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("says");
        QTest::newRow("squirro user token revoked")
            << QStringLiteral("squirro") << QStringLiteral("squirro") << QStringLiteral("HTTP 410");
        QTest::newRow("sensu session killed")
            << QStringLiteral("sensu") << QStringLiteral("sensu") << QStringLiteral("HTTP 401");
        QTest::newRow("oauth2 grant revoked")
            << QStringLiteral("oauth2-password") << QStringLiteral("oauth2")
            << QStringLiteral("invalid_grant");
        QTest::newRow("argus refresh token expired")
            << QStringLiteral("argus") << QString() << QStringLiteral("HTTP 401");
    }

    void rejection_movesTheProfileToLoginRequired()
    {
        QFETCH(QString, preset);
        QFETCH(QString, server);
        QFETCH(QString, says);
        Harness h;
        Profile profile;
        const char *secret = nullptr;
        if (preset == u"squirro") {
            profile = profileFor(preset);
            profile.params.insert(QStringLiteral("tenant"), QStringLiteral("squirro_demo"));
            secret = emulator::demo::squirroUserToken;
        } else if (preset == u"sensu") {
            profile = sensu();
            secret = emulator::demo::sensuPassword;
        } else if (preset == u"argus") {
            m_emulator.post(
                QStringLiteral("/_emulator/config"),
                {{QStringLiteral("refreshLifetimes"), QJsonObject {{QStringLiteral("argus"), 1}}}});
            profile = profileFor(preset, QLatin1String(emulator::demo::argusUser));
            secret = emulator::demo::argusPassword;
        } else {
            profile = profileFor(preset, QLatin1String(emulator::demo::oauthUser),
                                 QLatin1String(emulator::demo::oauthPublicClientId));
            secret = emulator::demo::oauthPassword;
        }
        QVERIFY(login(h.tokens, profile, secret));

        SystemWakeTimer timer;
        RefreshScheduler scheduler(&h.tokens, &timer, h.clock);
        scheduler.setProfiles({profile});
        QTRY_COMPARE_WITH_TIMEOUT(scheduler.status(profile.id)->state, ProfileStatus::State::Valid,
                                  10'000);
        if (server.isEmpty()) {
            QThread::msleep(2100); // the 1 s refresh token runs out
        } else {
            m_emulator.post(QStringLiteral("/_emulator/revoke"),
                            {{QStringLiteral("server"), server}});
        }
        scheduler.refreshNow(profile.id);
        QTRY_COMPARE_WITH_TIMEOUT(scheduler.status(profile.id)->state,
                                  ProfileStatus::State::LoginRequired, 10'000);
        const ProfileStatus status = *scheduler.status(profile.id);
        QVERIFY2(status.reason.contains(says), qPrintable(status.reason));
        QVERIFY(!scheduler.nextWakeUp().isValid()); // stops trying
    }
};

QTEST_GUILESS_MAIN(TestTokenService)
#include "tst_tokenservice.moc"
