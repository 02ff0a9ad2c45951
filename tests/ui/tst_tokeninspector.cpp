#include "ui/tokeninspectordialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace tokenkeeper;

class TestTokenInspector final : public QObject
{
    Q_OBJECT

    static QString jwt(const QByteArray &claims)
    {
        const auto part = [](const QByteArray &json) {
            return QString::fromLatin1(
                json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        };
        return part(R"({"alg":"HS256"})") + u'.' + part(claims) + QStringLiteral(".sig");
    }

    static QString labelText(const QDialog &dialog, const QString &accessibleName)
    {
        for (const QLabel *label : dialog.findChildren<QLabel *>()) {
            if (label->accessibleName() == accessibleName) {
                return label->text();
            }
        }
        return {};
    }

private Q_SLOTS:
    void jwt_showsClaims_andHidesTheTokenUntilRevealed()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QString token = jwt("{\"iss\":\"argus-api\",\"sub\":\"alice\",\"exp\":"
                                  + QByteArray::number(now.toSecsSinceEpoch() + 600) + "}");
        TokenInspectorDialog dialog(QStringLiteral("Argus"), token,
                                    TokenInspection::inspect(token, now));
        dialog.show();
        QCOMPARE(labelText(dialog, QStringLiteral("Issuer")), QStringLiteral("argus-api"));
        QVERIFY(labelText(dialog, QStringLiteral("Expires")).contains(QStringLiteral("in 10 min")));

        auto *field = dialog.findChild<QLineEdit *>();
        QVERIFY(field);
        QVERIFY(!field->text().contains(token));
        QVERIFY(!dialog.tokenRevealed());
        QPushButton *reveal = nullptr;
        for (QPushButton *button : dialog.findChildren<QPushButton *>()) {
            if (button->accessibleName() == u"Reveal the access token") {
                reveal = button;
            }
        }
        QVERIFY(reveal);
        QTest::mouseClick(reveal, Qt::LeftButton);
        QCOMPARE(field->text(), token);
        QTest::mouseClick(reveal, Qt::LeftButton);
        QVERIFY(!field->text().contains(token));
    }

    void claimsWithMarkup_areShownAsText()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QString markup = QStringLiteral("<b>bold</b><img src=\"http://127.0.0.1:1/x\">");
        const QString token = jwt(
            "{\"iss\":\"<b>bold</b><img src=\\\"http://127.0.0.1:1/x\\\">\",\"sub\":\"<i>s</i>\","
            "\"scope\":\"<u>a</u> b\",\"exp\":"
            + QByteArray::number(now.toSecsSinceEpoch() + 600) + "}");
        TokenInspectorDialog dialog(QStringLiteral("<b>Argus</b>"), token,
                                    TokenInspection::inspect(token, now));
        dialog.show();
        QCOMPARE(labelText(dialog, QStringLiteral("Issuer")), markup);
        QCOMPARE(labelText(dialog, QStringLiteral("Subject")), QStringLiteral("<i>s</i>"));
        // Every label of the dialog is plain text: what a server put in the token shows as it is.
        for (const QLabel *label : dialog.findChildren<QLabel *>()) {
            QVERIFY2(label->textFormat() == Qt::PlainText, qPrintable(label->text()));
        }
    }

    void opaque_isSaidToBeOpaque()
    {
        const QString token = QStringLiteral("882d9b12cce019ee0137e54beaeea2227db4db3e");
        TokenInspectorDialog dialog(
            QStringLiteral("Squirro"), token,
            TokenInspection::inspect(token, QDateTime::currentDateTimeUtc()));
        QVERIFY(
            labelText(dialog, QStringLiteral("Token kind")).startsWith(QStringLiteral("Opaque")));
    }
};

QTEST_MAIN(TestTokenInspector)
#include "tst_tokeninspector.moc"
