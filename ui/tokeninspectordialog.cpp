#include "tokeninspectordialog.h"

#include "plaintext.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tokenkeeper {

namespace {

QLabel *valueLabel(const QString &text, QWidget *parent)
{
    // What the token says is the server's: plain text.
    QLabel *label = plainLabel(text.isEmpty() ? QStringLiteral("—") : text);
    label->setParent(parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

} // namespace

TokenInspectorDialog::TokenInspectorDialog(const QString &profileName, const QString &token,
                                           const TokenInspection &inspection, QWidget *parent)
    : QDialog(parent)
    , m_token(token)
    , m_tokenField(new QLineEdit(this))
    , m_revealButton(new QPushButton(tr("Reveal"), this))
{
    setWindowTitle(tr("Token of %1").arg(profileName));
    setAccessibleName(tr("Token inspector"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    layout->addLayout(form);

    const auto add = [this, form](const QString &label, const QString &value,
                                  const QString &accessible) {
        QLabel *field = valueLabel(value, this);
        field->setAccessibleName(accessible);
        form->addRow(plainLabel(label), field);
    };
    add(tr("Kind:"), inspection.kind, tr("Token kind"));
    if (inspection.isJwt) {
        add(tr("Issuer:"), inspection.issuer, tr("Issuer"));
        add(tr("Subject:"), inspection.subject, tr("Subject"));
        add(tr("Audience:"), inspection.audience.join(QStringLiteral(", ")), tr("Audience"));
        add(tr("Scopes:"), inspection.scopes.join(u' '), tr("Scopes"));
        for (const TokenInspection::Time &time : inspection.times) {
            add(time.label + u':',
                QStringLiteral("%1 (%2)").arg(
                    QLocale().toString(time.when.toLocalTime(), QLocale::LongFormat),
                    time.relative),
                time.label);
        }
    }

    auto *tokenRow = new QHBoxLayout;
    m_tokenField->setReadOnly(true);
    m_tokenField->setAccessibleName(tr("Access token"));
    m_revealButton->setCheckable(true);
    m_revealButton->setAccessibleName(tr("Reveal the access token"));
    tokenRow->addWidget(m_tokenField, 1);
    tokenRow->addWidget(m_revealButton);
    form->addRow(plainLabel(tr("Token:")), tokenRow);
    connect(m_revealButton, &QPushButton::toggled, this, &TokenInspectorDialog::setRevealed);
    setRevealed(false);

    if (!inspection.clockWarning.isEmpty()) {
        QLabel *warning = plainLabel(inspection.clockWarning);
        warning->setParent(this);
        warning->setWordWrap(true);
        warning->setAccessibleName(tr("Clock warning"));
        QPalette palette = warning->palette();
        palette.setColor(QPalette::WindowText, palette.color(QPalette::Link));
        warning->setPalette(palette);
        layout->addWidget(warning);
    }
    if (inspection.isJwt) {
        auto *raw = new QPlainTextEdit(this);
        raw->setReadOnly(true);
        raw->setAccessibleName(tr("Header and claims"));
        raw->setPlainText(QString::fromUtf8(QJsonDocument(inspection.header).toJson())
                          + QString::fromUtf8(QJsonDocument(inspection.claims).toJson()));
        layout->addWidget(raw, 1);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(560, inspection.isJwt ? 480 : 200);
}

bool TokenInspectorDialog::tokenRevealed() const
{
    return m_tokenField->text() == m_token;
}

void TokenInspectorDialog::setRevealed(bool revealed)
{
    // Hidden means not in the widget at all, not merely drawn as dots.
    m_tokenField->setText(
        revealed ? m_token : QString(std::min<qsizetype>(m_token.size(), 24), QChar(0x2022)));
    m_revealButton->setText(revealed ? tr("Hide") : tr("Reveal"));
}

} // namespace tokenkeeper
