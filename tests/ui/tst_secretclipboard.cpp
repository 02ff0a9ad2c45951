// The secret clipboard on the offscreen platform's clipboard: the secret
// marks, the countdown, and clearing only what is still ours.
#include "ui/secretclipboard.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace tokenkeeper;

class TestSecretClipboard final : public QObject
{
    Q_OBJECT

    QClipboard *clipboard() const { return QGuiApplication::clipboard(); }
    const QString m_secret = QStringLiteral("Authorization: Bearer s3cr3t");

private Q_SLOTS:
    void init() { clipboard()->clear(); }

    void copy_marksTheTextSecret()
    {
        SecretClipboard secret(clipboard());
        QCOMPARE(secret.clearAfter(), std::chrono::milliseconds(45'000));
        QSignalSpy remaining(&secret, &SecretClipboard::remainingChanged);
        secret.copy(m_secret);
        QCOMPARE(clipboard()->text(), m_secret);
        const QMimeData *mime = clipboard()->mimeData();
        QCOMPARE(mime->data(QStringLiteral("x-kde-passwordManagerHint")),
                 QByteArrayLiteral("secret"));
        QVERIFY(mime->hasFormat(QStringLiteral("ExcludeClipboardContentFromMonitorProcessing")));
        QVERIFY(mime->hasFormat(QStringLiteral("application/x-nspasteboard-concealed-type")));
        QVERIFY(secret.holdsSecret());
        QCOMPARE(remaining.size(), 1);
        QCOMPARE(remaining.at(0).at(0).toInt(), 45);
        QCOMPARE(secret.remainingSeconds(), 45);
    }

    void timeUp_clearsAndCountsDown()
    {
        SecretClipboard secret(clipboard());
        secret.setClearAfter(std::chrono::milliseconds(1500));
        QSignalSpy remaining(&secret, &SecretClipboard::remainingChanged);
        QSignalSpy cleared(&secret, &SecretClipboard::cleared);
        secret.copy(m_secret);
        QCOMPARE(remaining.at(0).at(0).toInt(), 2); // rounded up
        QTRY_COMPARE_WITH_TIMEOUT(cleared.size(), 1, 5000);
        QVERIFY(clipboard()->text().isEmpty());
        QVERIFY(remaining.size() >= 2);
        QCOMPARE(remaining.last().at(0).toInt(), 1);
        QCOMPARE(secret.remainingSeconds(), 0);
    }

    void somethingElseCopied_releasedAndLeftAlone()
    {
        SecretClipboard secret(clipboard());
        secret.setClearAfter(std::chrono::milliseconds(300));
        QSignalSpy released(&secret, &SecretClipboard::released);
        QSignalSpy cleared(&secret, &SecretClipboard::cleared);
        secret.copy(m_secret);
        const QString mine = QStringLiteral("the user's own text");
        clipboard()->setText(mine);
        QCOMPARE(released.size(), 1);
        QVERIFY(!secret.holdsSecret());
        QTest::qWait(600);
        secret.clear();
        QCOMPARE(cleared.size(), 0);
        QCOMPARE(clipboard()->text(), mine);
    }

    void destroyed_clearsWhatIsStillOurs()
    {
        auto secret = std::make_unique<SecretClipboard>(clipboard());
        secret->copy(m_secret);
        secret.reset();
        QVERIFY(clipboard()->text().isEmpty());

        secret = std::make_unique<SecretClipboard>(clipboard());
        secret->copy(m_secret);
        clipboard()->setText(QStringLiteral("mine"));
        secret.reset();
        QCOMPARE(clipboard()->text(), QStringLiteral("mine"));
    }
};

QTEST_MAIN(TestSecretClipboard)
#include "tst_secretclipboard.moc"
