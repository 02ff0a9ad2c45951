#include "keychainbanner.h"

#include "auth/tokenprovider.h"
#include "core/error.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

namespace tokenkeeper {

KeychainBanner::KeychainBanner(TokenProvider &tokens, QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel)
    , m_retry(new QPushButton(tr("&Try again")))
    , m_memoryOnly(new QPushButton(tr("Keep tokens in &memory only")))
    , m_dismiss(new QPushButton(tr("Dismiss")))
{
    setObjectName(QStringLiteral("keychainBanner"));
    setAccessibleName(tr("Keychain unavailable"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::ToolTipBase);
    setForegroundRole(QPalette::ToolTipText);

    auto *icon = new QLabel;
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(size, size));
    m_text->setObjectName(QStringLiteral("keychainBannerText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_retry->setObjectName(QStringLiteral("keychainRetryButton"));
    m_memoryOnly->setObjectName(QStringLiteral("keychainMemoryOnlyButton"));
    m_memoryOnly->setToolTip(tr("Tokens and secrets are kept until Tokenkeeper quits, and "
                                "you log in again after every start."));
    m_memoryOnly->hide();
    m_dismiss->setObjectName(QStringLiteral("keychainDismissButton"));

    auto *layout = new QHBoxLayout(this);
    layout->addWidget(icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_retry);
    layout->addWidget(m_memoryOnly);
    layout->addWidget(m_dismiss);

    connect(m_retry, &QPushButton::clicked, this, [this] {
        hide();
        Q_EMIT retryRequested();
    });
    connect(m_memoryOnly, &QPushButton::clicked, this, [this] {
        Q_EMIT memoryOnlyChosen();
        showMemoryOnly();
    });
    connect(m_dismiss, &QPushButton::clicked, this, &QWidget::hide);
    connect(&tokens, &TokenProvider::tokenFailed, this,
            [this](const QString &, const Error &error) {
                if (error.kind() == Error::Kind::Keychain) {
                    showFailure(error);
                }
            });
    hide();
}

void KeychainBanner::setMemoryOnlyOffered(bool offered)
{
    m_memoryOnly->setVisible(offered && !m_memoryOnlyMode);
}

QString KeychainBanner::message() const
{
    return m_text->text();
}

void KeychainBanner::showFailure(const Error &error)
{
    if (m_memoryOnlyMode) {
        return;
    }
    m_text->setText(
        tr("The system keychain cannot be reached: %1\n"
           "Tokenkeeper keeps secrets only there. Start or unlock your keyring (GNOME Keyring, "
           "KWallet, or another Secret Service), then try again.")
            .arg(error.message()));
    show();
}

void KeychainBanner::showMemoryOnly()
{
    m_memoryOnlyMode = true;
    setAccessibleName(tr("Tokens in memory only"));
    m_text->setText(tr("No keychain: tokens and secrets are now kept in memory only, until "
                       "Tokenkeeper quits. Nothing is written to disk. Log in to each profile "
                       "again now, and again after every start."));
    m_retry->hide();
    m_memoryOnly->hide();
    show();
}

} // namespace tokenkeeper
