#include "profileeditor.h"

#include "auth/presetregistry.h"
#include "auth/tokenservice.h"
#include "plaintext.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace tokenkeeper {

namespace {

using Field = ProfileValidator::Field;

constexpr int maxLifetimeSeconds = 365 * 24 * 3600;

QLineEdit *lineEdit(const QString &objectName, const QString &accessibleName)
{
    auto *edit = new QLineEdit;
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    return edit;
}

QLabel *messageLabel(const QString &objectName, const QString &accessibleName)
{
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setAccessibleName(accessibleName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return label;
}

QString paramObjectName(const QString &param)
{
    return QStringLiteral("param_") + param;
}

} // namespace

ProfileEditor::ProfileEditor(Mode mode, const Profile &profile, const PresetRegistry &presets,
                             QStringList takenNames, TokenService *tokens, QWidget *parent)
    : QDialog(parent)
    , m_mode(mode)
    , m_original(profile)
    , m_presets(presets)
    , m_validator(presets, std::move(takenNames))
    , m_tokens(tokens)
{
    setObjectName(QStringLiteral("profileEditor"));
    switch (m_mode) {
    case Mode::Add:
        setWindowTitle(tr("Add Profile"));
        break;
    case Mode::Duplicate:
        setWindowTitle(tr("Duplicate Profile"));
        break;
    case Mode::Edit:
        setWindowTitle(tr("Edit Profile"));
        break;
    }
    setAccessibleName(windowTitle());
    buildUi();
    fill(profile);
    validate();
}

ProfileEditor::~ProfileEditor() = default;

void ProfileEditor::buildUi()
{
    m_name = lineEdit(QStringLiteral("nameEdit"), tr("Profile name"));
    m_name->setPlaceholderText(tr("e.g. Production Sensu"));

    m_preset = new QComboBox;
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    m_preset->setAccessibleName(tr("Preset"));
    for (const Preset &preset : m_presets.presets()) {
        m_preset->addItem(preset.name, preset.id);
        m_preset->setItemData(m_preset->count() - 1, plainToolTip(preset.description),
                              Qt::ToolTipRole);
    }
    m_presetDescription =
        messageLabel(QStringLiteral("presetDescription"), tr("Preset description"));
    m_presetDescription->setForegroundRole(QPalette::PlaceholderText);

    m_url = lineEdit(QStringLiteral("urlEdit"), tr("Server URL"));
    m_url->setPlaceholderText(QStringLiteral("https://api.example.com"));
    m_username = lineEdit(QStringLiteral("usernameEdit"), tr("Username"));
    m_clientId = lineEdit(QStringLiteral("clientIdEdit"), tr("Client ID"));
    m_confidential = new QCheckBox(tr("The client has a secret (confidential client)"));
    m_confidential->setObjectName(QStringLiteral("confidentialCheck"));
    m_confidential->setAccessibleName(tr("Confidential client"));
    m_confidential->setToolTip(tr("Logging in then asks for the client secret as well"));
    m_scope = lineEdit(QStringLiteral("scopeEdit"), tr("Scope"));
    m_tokenUrl = lineEdit(QStringLiteral("tokenUrlEdit"), tr("Token URL"));
    m_tokenUrl->setPlaceholderText(tr("optional: replaces the preset's token endpoint"));

    m_lifetime = new QSpinBox;
    m_lifetime->setObjectName(QStringLiteral("lifetimeSpin"));
    m_lifetime->setAccessibleName(tr("Token lifetime"));
    m_lifetime->setRange(0, maxLifetimeSeconds);
    m_lifetime->setSuffix(tr(" s"));
    m_lifetime->setToolTip(tr("Used only when neither the server's answer nor the token says "
                              "how long it lasts"));

    m_clientAuth = new QComboBox;
    m_clientAuth->setObjectName(QStringLiteral("clientAuthCombo"));
    m_clientAuth->setAccessibleName(tr("Client authentication"));
    m_clientAuth->addItem(tr("HTTP Basic header"), QStringLiteral("basic"));
    m_clientAuth->addItem(tr("In the request body"), QStringLiteral("body"));

    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->addRow(tr("&Name:"), m_name);
    m_form->addRow(tr("&Preset:"), m_preset);
    m_form->addRow(QString(), m_presetDescription);
    m_form->addRow(tr("Server &URL:"), m_url);
    m_form->addRow(tr("&Username:"), m_username);
    m_form->addRow(tr("&Client ID:"), m_clientId);
    m_form->addRow(QString(), m_confidential);
    m_form->addRow(tr("&Scope:"), m_scope);
    m_form->addRow(tr("&Token URL:"), m_tokenUrl);
    m_form->addRow(tr("&Lifetime:"), m_lifetime);
    m_form->addRow(tr("Client &auth:"), m_clientAuth);

    m_problem = messageLabel(QStringLiteral("problemLabel"), tr("Problem"));
    m_note = messageLabel(QStringLiteral("noteLabel"), tr("Note"));
    m_note->hide();

    // Test connection: the secret is typed here and forgotten with the dialog.
    m_testBox = new QGroupBox(tr("Test connection"));
    m_testBox->setObjectName(QStringLiteral("testBox"));
    m_testBox->setAccessibleName(tr("Test connection"));
    m_testSecret = lineEdit(QStringLiteral("testSecretEdit"), tr("Secret to test"));
    m_testSecret->setEchoMode(QLineEdit::Password);
    m_testClientSecret = lineEdit(QStringLiteral("testClientSecretEdit"), tr("Client secret"));
    m_testClientSecret->setEchoMode(QLineEdit::Password);
    m_testButton = new QPushButton(tr("Test &connection"));
    m_testButton->setObjectName(QStringLiteral("testButton"));
    m_testButton->setAccessibleName(tr("Test connection"));
    m_testButton->setAutoDefault(false);
    m_testResult = messageLabel(QStringLiteral("testResult"), tr("Test result"));
    m_testSecretLabel = plainLabel(); // a preset file's words
    m_testClientSecretLabel = new QLabel(tr("Client secret:"));
    auto *testForm = new QFormLayout(m_testBox);
    testForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    testForm->addRow(m_testSecretLabel, m_testSecret);
    testForm->addRow(m_testClientSecretLabel, m_testClientSecret);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_testButton);
    testRow->addWidget(m_testResult, 1);
    testForm->addRow(testRow);
    connect(m_testButton, &QPushButton::clicked, this, &ProfileEditor::testConnection);
    connect(m_testSecret, &QLineEdit::returnPressed, this, &ProfileEditor::testConnection);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->setObjectName(QStringLiteral("buttons"));
    m_buttons->setAccessibleName(tr("Dialog buttons"));
    QPushButton *ok = m_buttons->button(QDialogButtonBox::Ok);
    ok->setText(m_mode == Mode::Edit ? tr("&Save") : tr("&Add"));
    ok->setObjectName(QStringLiteral("okButton"));
    ok->setAccessibleName(ok->text().remove(u'&'));
    QPushButton *cancel = m_buttons->button(QDialogButtonBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setAccessibleName(tr("Cancel"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ProfileEditor::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ProfileEditor::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addWidget(m_problem);
    layout->addWidget(m_note);
    layout->addWidget(m_testBox);
    layout->addStretch();
    layout->addWidget(m_buttons);

    for (QLineEdit *edit : {m_name, m_url, m_username, m_clientId, m_scope, m_tokenUrl}) {
        connect(edit, &QLineEdit::textChanged, this, &ProfileEditor::validate);
    }
    connect(m_testSecret, &QLineEdit::textChanged, this, &ProfileEditor::validate);
    connect(m_testClientSecret, &QLineEdit::textChanged, this, &ProfileEditor::validate);
    connect(m_confidential, &QCheckBox::toggled, this, &ProfileEditor::validate);
    connect(m_lifetime, &QSpinBox::valueChanged, this, &ProfileEditor::validate);
    connect(m_clientAuth, &QComboBox::currentIndexChanged, this, &ProfileEditor::validate);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &ProfileEditor::presetChanged);
    setMinimumWidth(480);
}

void ProfileEditor::fill(const Profile &profile)
{
    m_name->setText(profile.name);
    m_url->setText(profile.baseUrl.toString());
    m_username->setText(profile.username);
    m_clientId->setText(profile.clientId);
    m_confidential->setChecked(profile.confidentialClient);
    m_scope->setText(profile.scope);
    m_tokenUrl->setText(profile.tokenUrl.toString());
    m_lifetime->setValue(profile.lifetimeSeconds);
    m_clientAuth->setCurrentIndex(profile.clientAuth == Profile::ClientAuth::Body ? 1 : 0);
    m_paramValues = profile.params;
    const int index = m_preset->findData(profile.preset);
    // An unknown preset (a user file since removed) is said by the validator.
    m_preset->setCurrentIndex(index >= 0 ? index : (profile.preset.isEmpty() ? 0 : -1));
    presetChanged();
}

const Preset *ProfileEditor::currentPreset() const
{
    const QString id = m_preset->currentData().toString();
    return id.isEmpty() ? nullptr : m_presets.find(id);
}

void ProfileEditor::presetChanged()
{
    const Preset *preset = currentPreset();
    const auto show = [this, preset](QWidget *field, Field which) {
        m_form->setRowVisible(field, preset && ProfileValidator::shows(*preset, which));
    };
    show(m_username, Field::Username);
    show(m_clientId, Field::ClientId);
    show(m_confidential, Field::ConfidentialClient);
    show(m_scope, Field::Scope);
    show(m_tokenUrl, Field::TokenUrl);
    show(m_clientAuth, Field::ClientAuth);
    m_form->setRowVisible(m_presetDescription, preset && !preset->description.isEmpty());
    if (!preset) {
        rebuildParams(Preset());
        m_testBox->hide();
        validate();
        return;
    }
    m_presetDescription->setText(preset->description);
    for (const auto &[edit, field] :
         {std::pair {m_username, Field::Username}, std::pair {m_clientId, Field::ClientId},
          std::pair {m_scope, Field::Scope}}) {
        edit->setPlaceholderText(ProfileValidator::needs(*preset, field) ? tr("required")
                                                                         : tr("optional"));
    }
    m_lifetime->setSpecialValueText(
        tr("as the server says (else %1 s)").arg(preset->defaultLifetimeSeconds));
    rebuildParams(*preset);

    const bool canTest = m_tokens && TokenService::canTest(*preset);
    m_testBox->setVisible(canTest);
    m_testSecretLabel->setText((preset->secretLabel.isEmpty() ? tr("Secret") : preset->secretLabel)
                               + u':');
    m_testSecret->setAccessibleName(preset->secretLabel.isEmpty() ? tr("Secret to test")
                                                                  : preset->secretLabel);
    m_testResult->clear();
    ++m_testSerial; // an answer for the previous preset no longer counts
    validate();
}

void ProfileEditor::rebuildParams(const Preset &preset)
{
    for (auto it = m_params.begin(); it != m_params.end(); ++it) {
        m_paramValues.insert(it.key(), it.value()->text());
        m_form->removeRow(it.value()); // deletes the edit and its label
    }
    m_params.clear();
    for (const QString &param : preset.params) {
        QLineEdit *edit = lineEdit(paramObjectName(param), param);
        edit->setText(m_paramValues.value(param));
        edit->setPlaceholderText(tr("the preset's parameter \"%1\"").arg(param));
        connect(edit, &QLineEdit::textChanged, this, &ProfileEditor::validate);
        m_form->addRow(plainLabel(param + u':'), edit);
        m_params.insert(param, edit);
    }
}

ProfileForm ProfileEditor::form() const
{
    ProfileForm form;
    form.name = m_name->text();
    form.preset = m_preset->currentData().toString();
    form.baseUrl = m_url->text().trimmed();
    form.rememberPassword = m_original.rememberPassword;
    const Preset *preset = currentPreset();
    if (!preset) {
        return form;
    }
    // Only what the preset uses: a hidden field's text does not count.
    const auto shown = [preset](Field field) { return ProfileValidator::shows(*preset, field); };
    if (shown(Field::Username)) {
        form.username = m_username->text().trimmed();
    }
    if (shown(Field::ClientId)) {
        form.clientId = m_clientId->text().trimmed();
    }
    if (shown(Field::ConfidentialClient)) {
        form.confidentialClient = m_confidential->isChecked();
    }
    if (shown(Field::Scope)) {
        form.scope = m_scope->text().trimmed();
    }
    if (shown(Field::TokenUrl)) {
        form.tokenUrl = m_tokenUrl->text().trimmed();
    }
    if (m_lifetime->value() > 0) {
        form.lifetime = QString::number(m_lifetime->value());
    }
    if (shown(Field::ClientAuth)) {
        form.clientAuth = m_clientAuth->currentData().toString();
    }
    for (auto it = m_params.begin(); it != m_params.end(); ++it) {
        if (!it.value()->text().isEmpty()) {
            form.params.insert(it.key(), it.value()->text());
        }
    }
    return form;
}

std::optional<Profile> ProfileEditor::profile() const
{
    auto built = m_validator.toProfile(form());
    if (!built) {
        return std::nullopt;
    }
    Profile profile = *built;
    if (m_mode == Mode::Edit) {
        profile.id = m_original.id;
    }
    return profile;
}

QString ProfileEditor::problem() const
{
    return m_problems.isEmpty() ? QString() : m_problems.first().message;
}

void ProfileEditor::validate()
{
    m_problems = m_validator.check(form());
    m_problem->setText(problem());
    m_problem->setVisible(!m_problems.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_problems.isEmpty() && !m_busy);

    // Saving an edit that changes the account logs the profile out.
    const auto edited = m_mode == Mode::Edit ? profile() : std::nullopt;
    const bool loggingOut = edited && !ProfileValidator::sameAccount(m_original, *edited);
    m_note->setText(loggingOut ? tr("Saving logs this profile out: its server, preset, user or "
                                    "client changed, so the stored secrets are forgotten.")
                               : QString());
    m_note->setVisible(loggingOut);

    // The test needs everything but a free name, and the secret.
    const bool confidential = testNeedsClientSecret();
    m_testClientSecretLabel->setVisible(confidential);
    m_testClientSecret->setVisible(confidential);
    bool testable = !m_testSecret->text().isEmpty()
        && (!confidential || !m_testClientSecret->text().isEmpty()) && !m_busy;
    for (const ProfileValidator::Problem &problem : m_problems) {
        testable = testable && problem.field == Field::Name;
    }
    m_testButton->setEnabled(testable);
}

bool ProfileEditor::testNeedsClientSecret() const
{
    // A confidential client whose secret is not the preset's own secret.
    const Preset *preset = currentPreset();
    return preset && m_confidential->isChecked()
        && ProfileValidator::shows(*preset, Field::ConfidentialClient)
        && preset->secretKind != SecretKind::ClientSecret;
}

void ProfileEditor::testConnection()
{
    if (!m_testButton->isEnabled() || !m_tokens) {
        return;
    }
    ProfileForm testForm = form();
    testForm.name = QStringLiteral("test"); // the name plays no part in a test
    const auto built = ProfileValidator(m_presets).toProfile(testForm);
    if (!built) {
        return;
    }
    const quint64 serial = ++m_testSerial;
    m_testResult->setText(tr("Testing…"));
    m_testButton->setEnabled(false);
    const QString clientSecret = testNeedsClientSecret() ? m_testClientSecret->text() : QString();
    // The answer comes when it comes; the window and this dialog go on.
    m_tokens->test(
        *built, m_testSecret->text(), this,
        [this, serial](const Result<void> &result) {
            if (serial != m_testSerial) {
                return; // the form changed preset, or another test was started
            }
            m_testResult->setText(result ? tr("It works: the server accepted these credentials.")
                                         : result.error().message());
            validate();
        },
        clientSecret);
}

void ProfileEditor::setBusy(bool busy)
{
    m_busy = busy;
    for (QWidget *widget :
         {static_cast<QWidget *>(m_name), static_cast<QWidget *>(m_preset),
          static_cast<QWidget *>(m_url), static_cast<QWidget *>(m_username),
          static_cast<QWidget *>(m_clientId), static_cast<QWidget *>(m_confidential),
          static_cast<QWidget *>(m_scope), static_cast<QWidget *>(m_tokenUrl),
          static_cast<QWidget *>(m_lifetime), static_cast<QWidget *>(m_clientAuth)}) {
        widget->setEnabled(!busy);
    }
    for (QLineEdit *edit : std::as_const(m_params)) {
        edit->setEnabled(!busy);
    }
    validate();
}

void ProfileEditor::accept()
{
    if (m_busy) {
        return;
    }
    validate();
    const auto edited = profile();
    if (!edited) {
        return;
    }
    setBusy(true);
    m_problem->setText(tr("Saving…"));
    m_problem->show();
    Q_EMIT saveRequested(*edited);
}

void ProfileEditor::saved()
{
    m_busy = false;
    QDialog::accept();
}

void ProfileEditor::saveFailed(const QString &message)
{
    setBusy(false);
    m_problem->setText(message);
    m_problem->show();
}

} // namespace tokenkeeper
