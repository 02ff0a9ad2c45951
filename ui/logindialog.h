#pragma once

#include "auth/credentials.h"
#include "auth/preset.h"
#include "profiles/profile.h"

#include <QDialog>
#include <QPointer>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace tokenkeeper {

class ProfileManager;

// Logs a profile in the way its preset does: a username's password (kept
// only if "Remember password" is ticked; off by default), a client secret,
// or a pasted user token, and a confidential client's secret as well.
//
//   Log in --> ProfileManager::logIn (async; the keychain write included)
//                |-- rejected --> the server's words inline; the dialog stays
//                `-- logged in -> loggedIn(profile, tokens); the dialog closes
//
// The window and this dialog never wait: while the login runs the fields are
// read-only. Cancel, Esc or closing the dialog cancels the login under way
// (ProfileManager::cancelLogIn): nothing is stored, and a session the server
// opened meanwhile is ended.
class LoginDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LoginDialog)

public:
    LoginDialog(const Profile &profile, const Preset &preset, ProfileManager &profiles,
                QWidget *parent = nullptr);
    ~LoginDialog() override;

    const Profile &profile() const { return m_profile; }

public Q_SLOTS:
    void accept() override;
    void reject() override;

Q_SIGNALS:
    // `profile` as it was logged in (its rememberPassword as ticked).
    void loggedIn(const tokenkeeper::Profile &profile, const tokenkeeper::TokenSet &tokens);

private:
    void updateButtons();
    void setBusy(bool busy);
    bool needsClientSecret() const;
    void cancelLogin();

    Profile m_profile;
    Preset m_preset;
    ProfileManager &m_profiles;
    QPointer<ProfileManager> m_profilesAlive; // the window may outlive the engine on quit
    bool m_busy = false;
    quint64 m_login = 0; // the login under way (TokenService::LoginTicket), 0 if none

    QLineEdit *m_secret = nullptr;
    QLineEdit *m_clientSecret = nullptr;
    QCheckBox *m_remember = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace tokenkeeper
