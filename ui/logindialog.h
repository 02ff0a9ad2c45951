#pragma once

#include "auth/credentials.h"
#include "auth/preset.h"
#include "profiles/profile.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace tokenkeeper {

class TokenService;

// Logs a profile in the way its preset does: a username's password (kept
// only if "Remember password" is ticked; off by default), a client secret,
// or a pasted user token, and a confidential client's secret as well.
//
//   Log in --> TokenService::login (async; the keychain write included)
//                |-- rejected --> the server's words inline; the dialog stays
//                `-- logged in -> loggedIn(profile, tokens); the dialog closes
//
// The window and this dialog never wait: while the login runs the fields are
// read-only, and closing the dialog drops the answer.
class LoginDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginDialog)

public:
    LoginDialog(const Profile &profile, const Preset &preset, TokenService &tokens,
                QWidget *parent = nullptr);
    ~LoginDialog() override;

    const Profile &profile() const { return m_profile; }

public Q_SLOTS:
    void accept() override;

Q_SIGNALS:
    // `profile` as it was logged in (its rememberPassword as ticked).
    void loggedIn(const tokenkeeper::Profile &profile, const tokenkeeper::TokenSet &tokens);

private:
    void updateButtons();
    void setBusy(bool busy);
    bool needsClientSecret() const;

    Profile m_profile;
    Preset m_preset;
    TokenService &m_tokens;
    bool m_busy = false;

    QLineEdit *m_secret = nullptr;
    QLineEdit *m_clientSecret = nullptr;
    QCheckBox *m_remember = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace tokenkeeper
