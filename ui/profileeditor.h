#pragma once

#include "engine/profilevalidator.h"
#include "profiles/profile.h"

#include <QDialog>
#include <QMap>
#include <QStringList>

#include <optional>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace tokenkeeper {

class Preset;
class PresetRegistry;
class TokenService;

// Adds, duplicates and edits a profile. It shows only the fields the chosen
// preset uses and checks them as the user types with ProfileValidator (the
// rules of `tokenkeeper profile add`); OK stays disabled while anything is
// wrong, and the first problem is said under the form.
//
//   OK ----> saveRequested(profile) ----> the window writes the profiles file
//               |-- saved() ------------> the dialog closes
//               `-- saveFailed(reason) -> said inline; the dialog stays open
//
//   Test connection --> TokenService::test (async; nothing is kept)
//                         `--> the server's answer, inline
//
// It never touches the profiles file, the network or the keychain itself.
class ProfileEditor final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileEditor)

public:
    enum class Mode { Add, Duplicate, Edit };

    // `profile`: the one to edit or duplicate (for Add, a starting point:
    // an empty preset picks the first one). `takenNames`: the other
    // profiles' names. `tokens` may be null: no "Test connection".
    ProfileEditor(Mode mode, const Profile &profile, const PresetRegistry &presets,
                  QStringList takenNames, TokenService *tokens, QWidget *parent = nullptr);
    ~ProfileEditor() override;

    Mode mode() const { return m_mode; }
    // The profile the form describes (an edited one keeps its id), if valid.
    std::optional<Profile> profile() const;
    // The first problem of the form, or an empty string.
    QString problem() const;

public Q_SLOTS:
    void accept() override;
    // The window wrote the profile: close.
    void saved();
    // The window could not write it: say why and stay open.
    void saveFailed(const QString &message);

Q_SIGNALS:
    void saveRequested(const tokenkeeper::Profile &profile);

private:
    void buildUi();
    void fill(const Profile &profile);
    void presetChanged();
    void rebuildParams(const Preset &preset);
    void validate();
    void testConnection();
    bool testNeedsClientSecret() const;
    void setBusy(bool busy);
    ProfileForm form() const;
    const Preset *currentPreset() const;

    Mode m_mode;
    Profile m_original;
    const PresetRegistry &m_presets;
    ProfileValidator m_validator;
    TokenService *m_tokens;
    QList<ProfileValidator::Problem> m_problems;
    QMap<QString, QString> m_paramValues; // typed so far, across preset changes
    quint64 m_testSerial = 0;
    bool m_busy = false;

    QFormLayout *m_form = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_preset = nullptr;
    QLabel *m_presetDescription = nullptr;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_clientId = nullptr;
    QCheckBox *m_confidential = nullptr;
    QLineEdit *m_scope = nullptr;
    QLineEdit *m_tokenUrl = nullptr;
    QSpinBox *m_lifetime = nullptr;
    QComboBox *m_clientAuth = nullptr;
    QMap<QString, QLineEdit *> m_params;
    QLabel *m_problem = nullptr;
    QLabel *m_note = nullptr;
    QGroupBox *m_testBox = nullptr;
    QLabel *m_testSecretLabel = nullptr;
    QLineEdit *m_testSecret = nullptr;
    QLabel *m_testClientSecretLabel = nullptr;
    QLineEdit *m_testClientSecret = nullptr;
    QPushButton *m_testButton = nullptr;
    QLabel *m_testResult = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace tokenkeeper
