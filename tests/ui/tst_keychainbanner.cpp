// The keychain banner: shown on a keychain failure only, with the error and
// what to do; its buttons say what the user chose.
#include "fakes.h"
#include "ui/keychainbanner.h"

#include <QApplication>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QVBoxLayout>

using namespace tokenkeeper;
using tokenkeeper::test::FakeTokenProvider;

class TestKeychainBanner final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keychainFailure_showsTheBanner()
    {
        FakeTokenProvider tokens;
        QWidget window;
        auto *banner = new KeychainBanner(tokens);
        (new QVBoxLayout(&window))->addWidget(banner);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!banner->isVisible());

        tokens.failWith(QStringLiteral("a"),
                        Error(Error::Kind::Network, QStringLiteral("connection refused")));
        QVERIFY(!banner->isVisible()); // not the keychain's business

        tokens.failWith(QStringLiteral("a"),
                        Error(Error::Kind::Keychain, QStringLiteral("No keyring daemon")));
        QVERIFY(banner->isVisible());
        QVERIFY(banner->message().contains(QStringLiteral("No keyring daemon")));
        QVERIFY(banner->message().contains(QStringLiteral("unlock your keyring")));
        // "Memory only" is offered only when the engine can do it.
        QVERIFY(!banner->findChild<QPushButton *>(QStringLiteral("keychainMemoryOnlyButton"))
                     ->isVisible());

        QSignalSpy retry(banner, &KeychainBanner::retryRequested);
        QTest::mouseClick(banner->findChild<QPushButton *>(QStringLiteral("keychainRetryButton")),
                          Qt::LeftButton);
        QCOMPARE(retry.count(), 1);
        QVERIFY(!banner->isVisible());

        banner->setMemoryOnlyOffered(true);
        tokens.failWith(QStringLiteral("b"),
                        Error(Error::Kind::Keychain, QStringLiteral("locked")));
        QSignalSpy memoryOnly(banner, &KeychainBanner::memoryOnlyChosen);
        QTest::mouseClick(
            banner->findChild<QPushButton *>(QStringLiteral("keychainMemoryOnlyButton")),
            Qt::LeftButton);
        QCOMPARE(memoryOnly.count(), 1);
        // It stays, and says plainly what memory only means; no more failures shown.
        QVERIFY(banner->isVisible());
        QVERIFY(banner->isMemoryOnly());
        QVERIFY(banner->message().contains(QStringLiteral("until Tokenkeeper quits")));
        QVERIFY(!banner->findChild<QPushButton *>(QStringLiteral("keychainMemoryOnlyButton"))
                     ->isVisible());
        tokens.failWith(QStringLiteral("c"), Error(Error::Kind::Keychain, QStringLiteral("late")));
        QVERIFY(!banner->message().contains(QStringLiteral("late")));
    }
};

QTEST_MAIN(TestKeychainBanner)
#include "tst_keychainbanner.moc"
