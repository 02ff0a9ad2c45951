#pragma once

#include "profileeditor.h"

#include <QObject>

#include <functional>
#include <optional>

class QAction;
class QWidget;

namespace tokenkeeper {

class Engine;

// The window's profile operations as actions (Add…, Duplicate…, Edit…,
// Delete…, Log in…, Log out): each asks the user (ProfileEditor, a
// confirmation, LoginDialog) and leaves the doing to the engine's
// ProfileManager, as the command line does:
//
//   Add… / Duplicate… / Edit… --> ProfileEditor --save--> ProfileManager::add / edit
//   Delete… --> "Delete the profile?" --> ProfileManager::remove
//   Log in… --> LoginDialog --> ProfileManager::logIn
//   Log out --> ProfileManager::logOut
//
// What came of it goes to the status bar (message) and the list
// (selectRequested).
class ProfileActions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileActions)

public:
    // The profile the window has selected, if any.
    using CurrentProfile = std::function<std::optional<Profile>()>;

    // `window` parents the dialogs and this.
    ProfileActions(Engine &engine, QWidget *window, CurrentProfile current);
    ~ProfileActions() override = default;

    QAction *add() const { return m_add; }
    QAction *duplicate() const { return m_duplicate; }
    QAction *edit() const { return m_edit; }
    QAction *remove() const { return m_delete; }
    QAction *logInAction() const { return m_logIn; }
    QAction *logOutAction() const { return m_logOut; }

    // Enables what applies to the selection.
    void setProfileState(bool hasProfile, bool hasSession);

public Q_SLOTS:
    void addProfile();
    void duplicateProfile();
    void editProfile();
    void deleteProfile(); // asks first
    void logIn();
    void logOut();

Q_SIGNALS:
    void message(const QString &text, int timeoutMs = 0);
    void selectRequested(const QString &profileId);

private:
    void openEditor(ProfileEditor::Mode mode, const Profile &profile);
    void save(ProfileEditor *editor, const Profile &before, const Profile &after);
    void removeProfile(const Profile &profile);
    QStringList namesExcept(const QString &profileId) const;

    Engine &m_engine;
    QWidget *m_window;
    CurrentProfile m_current;
    QAction *m_add;
    QAction *m_duplicate;
    QAction *m_edit;
    QAction *m_delete;
    QAction *m_logIn;
    QAction *m_logOut;
};

} // namespace tokenkeeper
