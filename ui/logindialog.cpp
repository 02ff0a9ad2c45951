#include "logindialog.h"

#include "engine/profilemanager.h"
#include "plaintext.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tokenkeeper {

LoginDialog::LoginDialog(const Profile &profile, const Preset &preset, ProfileManager &profiles,
                         QWidget *parent)
    : QDialog(parent)
    , m_profile(profile)
    , m_preset(preset)
    , m_profiles(profiles)
    , m_profilesAlive(&profiles)
{
    setObjectName(QStringLiteral("loginDialog"));
    setWindowTitle(tr("Log In to %1").arg(profile.name));
    setAccessibleName(windowTitle());

    const QString server = profile.baseUrl.toDisplayString();
    auto *intro = new QLabel;
    intro->setObjectName(QStringLiteral("introLabel"));
    intro->setAccessibleName(tr("Where you log in"));
    intro->setWordWrap(true);
    intro->setTextFormat(Qt::PlainText);
    switch (preset.secretKind) {
    case SecretKind::Password:
        intro->setText(tr("Log in to %1 (%2) as %3.").arg(server, preset.name, profile.username));
        break;
    case SecretKind::ClientSecret:
        intro->setText(
            tr("Log in to %1 (%2) as client %3.").arg(server, preset.name, profile.clientId));
        break;
    case SecretKind::RefreshToken:
        intro->setText(
            tr("Paste the %1 %2 for %3.")
                .arg(preset.name,
                     preset.secretLabel.isEmpty() ? tr("token") : preset.secretLabel.toLower(),
                     server));
        break;
    }

    auto *hint = new QLabel(preset.secretHint);
    hint->setObjectName(QStringLiteral("hintLabel"));
    hint->setAccessibleName(tr("Where to find it"));
    hint->setWordWrap(true);
    hint->setTextFormat(Qt::PlainText);
    hint->setForegroundRole(QPalette::PlaceholderText);
    hint->setVisible(!preset.secretHint.isEmpty());

    const QString label = preset.secretLabel.isEmpty() ? tr("Secret") : preset.secretLabel;
    m_secret = new QLineEdit;
    m_secret->setObjectName(QStringLiteral("secretEdit"));
    m_secret->setAccessibleName(label);
    m_secret->setEchoMode(QLineEdit::Password);
    if (preset.secretKind == SecretKind::RefreshToken) {
        m_secret->setPlaceholderText(tr("Paste it here"));
    }

    m_clientSecret = new QLineEdit;
    m_clientSecret->setObjectName(QStringLiteral("clientSecretEdit"));
    m_clientSecret->setAccessibleName(tr("Client secret"));
    m_clientSecret->setEchoMode(QLineEdit::Password);

    m_remember = new QCheckBox(tr("&Remember password"));
    m_remember->setObjectName(QStringLiteral("rememberCheck"));
    m_remember->setAccessibleName(tr("Remember password"));
    m_remember->setToolTip(tr("Keeps the password in the keychain, so Tokenkeeper can log in "
                              "again by itself when the session ends"));
    m_remember->setChecked(profile.rememberPassword); // off unless this profile said so

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(plainLabel(label + u':'), m_secret);
    form->addRow(plainLabel(tr("Client secret for %1:").arg(profile.clientId)), m_clientSecret);
    form->addRow(QString(), m_remember);
    form->setRowVisible(m_clientSecret, needsClientSecret());
    form->setRowVisible(m_remember, preset.secretKind == SecretKind::Password);

    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_error->setAccessibleName(tr("Login problem"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_error->hide();

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->setObjectName(QStringLiteral("buttons"));
    m_buttons->setAccessibleName(tr("Dialog buttons"));
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setText(tr("&Log In"));
    ok->setObjectName(QStringLiteral("loginButton"));
    ok->setAccessibleName(tr("Log in"));
    QPushButton *cancel = m_buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleName(tr("Cancel"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &LoginDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &LoginDialog::reject);
    connect(m_secret, &QLineEdit::textChanged, this, &LoginDialog::updateButtons);
    connect(m_clientSecret, &QLineEdit::textChanged, this, &LoginDialog::updateButtons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(hint);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addStretch();
    layout->addWidget(m_buttons);
    setMinimumWidth(420);
    updateButtons();
}

LoginDialog::~LoginDialog()
{
    cancelLogin(); // e.g. the window closed under the dialog
}

void LoginDialog::cancelLogin()
{
    if (m_login != 0 && m_profilesAlive) {
        m_profiles.cancelLogIn(m_login);
    }
    m_login = 0;
}

void LoginDialog::reject()
{
    // Cancel means cancel: the login under way is not kept.
    if (m_busy) {
        cancelLogin();
        setBusy(false);
        m_error->hide();
    }
    QDialog::reject();
}

bool LoginDialog::needsClientSecret() const
{
    return m_profile.confidentialClient && m_preset.secretKind != SecretKind::ClientSecret;
}

void LoginDialog::updateButtons()
{
    m_buttons->button(QDialogButtonBox::Ok)
        ->setEnabled(!m_busy && !m_secret->text().isEmpty()
                     && (!needsClientSecret() || !m_clientSecret->text().isEmpty()));
}

void LoginDialog::setBusy(bool busy)
{
    m_busy = busy;
    m_secret->setReadOnly(busy);
    m_clientSecret->setReadOnly(busy);
    m_remember->setEnabled(!busy);
    updateButtons();
}

void LoginDialog::accept()
{
    if (m_busy || !m_buttons->button(QDialogButtonBox::Ok)->isEnabled()) {
        return;
    }
    Profile profile = m_profile;
    if (m_preset.secretKind == SecretKind::Password) {
        profile.rememberPassword = m_remember->isChecked();
    }
    const bool remember = profile.rememberPassword;
    setBusy(true);
    m_error->setText(tr("Logging in…"));
    m_error->show();
    // A cancelled login never answers; `this` as the context covers the rest.
    m_login = m_profiles.logIn(m_profile, m_secret->text(), remember,
                               needsClientSecret() ? m_clientSecret->text() : QString(), this,
                               [this, profile](const Result<TokenSet> &result) {
                                   m_login = 0;
                                   setBusy(false);
                                   if (!result) {
                                       // The server's own words; the user corrects and tries again.
                                       m_error->setText(result.error().message());
                                       m_secret->selectAll();
                                       m_secret->setFocus(Qt::OtherFocusReason);
                                       return;
                                   }
                                   m_secret->clear();
                                   m_clientSecret->clear();
                                   m_profile = profile;
                                   Q_EMIT loggedIn(profile, *result);
                                   QDialog::accept();
                               });
}

} // namespace tokenkeeper
