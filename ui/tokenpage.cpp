#include "tokenpage.h"

#include "models/itemroles.h"
#include "models/profilelistmodel.h"
#include "plaintext.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace tokenkeeper {

namespace {

QLabel *valueLabel(const QString &accessibleName, const QString &objectName)
{
    QLabel *label = plainLabel(); // the server's words, a preset's name
    label->setObjectName(objectName);
    label->setAccessibleName(accessibleName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    return label;
}

} // namespace

TokenPage::TokenPage(QWidget *parent)
    : QWidget(parent)
{
    m_status = valueLabel(tr("Status"), QStringLiteral("detailStatus"));
    m_server = valueLabel(tr("Server"), QStringLiteral("detailServer"));
    m_account = valueLabel(tr("User or client"), QStringLiteral("detailAccount"));
    m_preset = valueLabel(tr("Preset"), QStringLiteral("detailPreset"));
    m_expiry = valueLabel(tr("Token expires"), QStringLiteral("detailExpiry"));
    m_issued = valueLabel(tr("Token issued"), QStringLiteral("detailIssued"));
    m_lastRefresh = valueLabel(tr("Last refresh"), QStringLiteral("detailLastRefresh"));
    m_nextRefresh = valueLabel(tr("Next refresh"), QStringLiteral("detailNextRefresh"));
    m_lastError = valueLabel(tr("Last error"), QStringLiteral("detailLastError"));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Status:"), m_status);
    form->addRow(tr("Server:"), m_server);
    form->addRow(tr("User / client:"), m_account);
    form->addRow(tr("Preset:"), m_preset);
    form->addRow(tr("Token expires:"), m_expiry);
    form->addRow(tr("Token issued:"), m_issued);
    form->addRow(tr("Last refresh:"), m_lastRefresh);
    form->addRow(tr("Next refresh:"), m_nextRefresh);
    form->addRow(tr("Last error:"), m_lastError);

    m_copyHeaderButton = new QPushButton(tr("Copy header"));
    m_copyHeaderButton->setObjectName(QStringLiteral("copyHeaderButton"));
    m_copyHeaderButton->setAccessibleName(tr("Copy header"));
    m_copyHeaderButton->setAccessibleDescription(
        tr("Copies \"Authorization: Bearer\" with a fresh token; the clipboard is cleared later"));
    m_copyHeaderButton->setToolTip(tr("Copy \"Authorization: Bearer …\" (Ctrl+C in the list)"));
    m_copyHeaderButton->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
    // The primary action: larger and bold, first in the row.
    QFont primary = m_copyHeaderButton->font();
    primary.setBold(true);
    primary.setPointSizeF(primary.pointSizeF() * 1.15);
    m_copyHeaderButton->setFont(primary);
    m_copyHeaderButton->setMinimumHeight(m_copyHeaderButton->sizeHint().height() * 3 / 2);
    m_copyHeaderButton->setMinimumWidth(m_copyHeaderButton->sizeHint().width() * 3 / 2);

    m_copyTokenButton = new QPushButton(tr("Copy token"));
    m_copyTokenButton->setObjectName(QStringLiteral("copyTokenButton"));
    m_copyTokenButton->setAccessibleName(tr("Copy token"));
    m_copyTokenButton->setToolTip(tr("Copy the access token alone (Ctrl+Shift+C)"));
    m_refreshButton = new QPushButton(tr("Refresh now"));
    m_refreshButton->setObjectName(QStringLiteral("refreshButton"));
    m_refreshButton->setAccessibleName(tr("Refresh now"));
    m_refreshButton->setToolTip(tr("Renew the token now (F5)"));
    m_refreshButton->setIcon(QIcon::fromTheme(QStringLiteral("view-refresh")));
    connect(m_copyHeaderButton, &QPushButton::clicked, this, &TokenPage::copyHeaderClicked);
    m_inspectButton = new QPushButton(tr("Inspect…"));
    m_inspectButton->setObjectName(QStringLiteral("inspectButton"));
    m_inspectButton->setAccessibleName(tr("Inspect the token"));
    m_inspectButton->setToolTip(tr("What the token says: claims, scopes, times (Ctrl+I)"));
    m_inspectButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    connect(m_inspectButton, &QPushButton::clicked, this, &TokenPage::inspectClicked);
    connect(m_copyTokenButton, &QPushButton::clicked, this, &TokenPage::copyTokenClicked);
    connect(m_refreshButton, &QPushButton::clicked, this, &TokenPage::refreshClicked);

    // "Log in…" while there is no session, "Log out" while there is one.
    m_loginButton = new QPushButton(tr("Log in…"));
    m_loginButton->setObjectName(QStringLiteral("loginButton"));
    m_loginButton->setAccessibleName(tr("Log in"));
    m_loginButton->setToolTip(tr("Log in to this server (Ctrl+L)"));
    m_logoutButton = new QPushButton(tr("Log out"));
    m_logoutButton->setObjectName(QStringLiteral("logoutButton"));
    m_logoutButton->setAccessibleName(tr("Log out"));
    m_logoutButton->setToolTip(tr("End the session and forget its secrets"));
    m_editButton = new QPushButton(tr("Edit…"));
    m_editButton->setObjectName(QStringLiteral("editButton"));
    m_editButton->setAccessibleName(tr("Edit profile"));
    m_editButton->setIcon(QIcon::fromTheme(QStringLiteral("document-edit")));
    connect(m_loginButton, &QPushButton::clicked, this, &TokenPage::logInClicked);
    connect(m_logoutButton, &QPushButton::clicked, this, &TokenPage::logOutClicked);
    connect(m_editButton, &QPushButton::clicked, this, &TokenPage::editClicked);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copyHeaderButton);
    buttons->addWidget(m_copyTokenButton, 0, Qt::AlignVCenter);
    buttons->addWidget(m_inspectButton, 0, Qt::AlignVCenter);
    buttons->addWidget(m_refreshButton, 0, Qt::AlignVCenter);
    buttons->addWidget(m_loginButton, 0, Qt::AlignVCenter);
    buttons->addWidget(m_logoutButton, 0, Qt::AlignVCenter);
    buttons->addWidget(m_editButton, 0, Qt::AlignVCenter);
    buttons->addStretch();

    setObjectName(QStringLiteral("tokenPage"));
    auto *tokenLayout = new QVBoxLayout(this);
    tokenLayout->addLayout(form);
    tokenLayout->addSpacing(12);
    tokenLayout->addLayout(buttons);
    tokenLayout->addStretch();
}

void TokenPage::clear()
{
    for (QPushButton *button : {m_copyHeaderButton, m_copyTokenButton, m_refreshButton}) {
        button->setEnabled(false);
    }
}

void TokenPage::showProfile(const Profile &profile, const ProfileStatus &status,
                            const QModelIndex &index, const QDateTime &now)
{
    const QLocale locale;
    const auto when = [&locale, &now](const QDateTime &time) -> QString {
        if (!time.isValid()) {
            return tr("—");
        }
        const qint64 seconds = now.secsTo(time);
        const QString relative = seconds >= 0
            ? tr("in %1").arg(ProfileListModel::formatDuration(seconds))
            : tr("%1 ago").arg(ProfileListModel::formatDuration(-seconds));
        return locale.toString(time.toLocalTime(), QLocale::ShortFormat) + QStringLiteral(" (")
            + relative + u')';
    };

    m_status->setText(index.data(StatusTextRole).toString());
    m_server->setText(profile.baseUrl.toDisplayString());
    QStringList account;
    if (!profile.username.isEmpty()) {
        account.append(tr("user %1").arg(profile.username));
    }
    if (!profile.clientId.isEmpty()) {
        account.append(tr("client %1").arg(profile.clientId));
    }
    m_account->setText(account.isEmpty() ? tr("—") : account.join(QStringLiteral(", ")));
    m_preset->setText(index.data(PresetNameRole).toString());
    m_expiry->setText(when(status.validUntil));
    m_issued->setText(when(status.obtainedAt));
    m_lastRefresh->setText(when(status.lastRefresh));
    m_nextRefresh->setText(when(status.nextRefresh));
    // In the server's own words.
    const QString error = !status.reason.isEmpty()
        ? status.reason
        : (status.lastError ? status.lastError->message() : QString());
    m_lastError->setText(error.isEmpty() ? tr("none") : error);

    using State = ProfileStatus::State;
    const bool canCopy = status.state != State::LoggedOut && status.state != State::LoginRequired;
    const bool canRefresh = canCopy && status.state != State::Refreshing;
    m_copyHeaderButton->setEnabled(canCopy);
    m_copyTokenButton->setEnabled(canCopy);
    m_inspectButton->setEnabled(canCopy);
    m_refreshButton->setEnabled(canRefresh);
    // "Log in…" while there is no session to copy from, "Log out" while there is one.
    const bool needsLogin = !canCopy;
    m_loginButton->setVisible(needsLogin);
    m_logoutButton->setVisible(!needsLogin);
    m_logoutButton->setEnabled(status.state != State::LoggedOut);
}

} // namespace tokenkeeper
