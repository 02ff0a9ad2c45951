#pragma once

#include "profiles/profile.h"
#include "tokencopier.h"

#include <QMainWindow>

#include <memory>
#include <optional>

class QAction;
class QLabel;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QStackedWidget;
class QTabWidget;
class QTimer;
class QVBoxLayout;

namespace tokenkeeper {

class Engine;
class Clock;
class PresetRegistry;
class ProfileActions;
class ProfileListModel;
class ProfileListPane;
class RefreshScheduler;
class RequestHistory;
class RequestPane;
class RequestRunner;
class SecretClipboard;
class TokenPage;
class TokenService;
struct Profile;

// The main window: every profile with its live status, a filter, and the
// selected profile's details with "Copy header", "Copy token", "Refresh now";
// views and wiring only:
//
//   ProfileListPane | title
//   (filter, list,  | TokenPage (Token tab)   -- buttons --> this --> TokenCopier
//    add/dup/del)   | RequestPane (Request tab: the engine's runner and history)
//   ProfileActions: Add…, Duplicate…, Edit…, Delete…, Log in…, Log out
//                   (the dialogs; the engine's ProfileManager does the work)
//
// The tray copies by profile id (copyHeaderOf) without touching the
// selection; every copy, from a button, a key or the tray, ends in
// copyFinished() as well as in the status bar.
//
// It owns nothing of the engine (scheduler, token service, presets, profiles
// file); the engine, clock and clipboard are the application's.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // A copied token is valid for at least this long.
    static constexpr int copyMinValidSeconds = TokenCopier::minValidSeconds;

    MainWindow(Engine &engine, const Clock &clock, SecretClipboard *clipboard,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    ProfileListModel *model() const { return m_model; }
    RequestPane *requestPane() const { return m_requestPane; }
    // Makes the profile with this id (or name) the current one; false if unknown.
    bool selectProfile(const QString &idOrName);
    // Puts `banner` (a KeychainBanner, say) across the top, above the list
    // and the details; the window takes it. A second call replaces the first.
    void setBanner(QWidget *banner);
    QAction *settingsAction() const { return m_settingsAction; }
    QAction *lockAction() const { return m_lockAction; }

public Q_SLOTS:
    void copyHeader(); // of the selected profile
    void copyToken();
    // Copy a profile's header or token, leaving the selection as it is.
    void copyHeaderOf(const QString &profileId);
    void copyTokenOf(const QString &profileId);
    void inspectToken();
    // The selected profile's request tester (Ctrl+2; the token: Ctrl+1).
    void showRequestTester();
    void refreshNow();
    // The selected profile's editor and login dialog (ProfileActions).
    void editProfile();
    void logIn();
    // File > Lock (Ctrl+Shift+L), the tray's "Lock": Engine::lock(). However it
    // was locked (`tokenkeeper lock` too), the window then clears the
    // clipboard if it holds our token, closes the token inspectors and shows
    // the locked bar until the next use reads the keychain again.
    void lock();
    // The locked bar's "Unlock": reads the selected profile's token from the
    // keychain (whose own unlock prompt comes up if the keyring is locked).
    void unlock();

Q_SIGNALS:
    // A copy asked for has ended: on the clipboard, or not (`message` says why).
    void copyFinished(const QString &profileName, bool ok, const QString &message);
    // File > Settings… (Ctrl+,): the application opens its settings dialog.
    void settingsRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    using Copy = TokenCopier::What;

    void buildUi();
    void buildActions();
    void copy(const Profile &profile, Copy what);
    void copyOf(const QString &profileId, Copy what);
    std::optional<Profile> currentProfile() const;
    int currentRow() const; // in the model, or -1
    void updateDetails();
    void updateTicking();
    void selectFirstIfNone();
    void showClipboardCountdown(int seconds);
    void onLocked();
    void updateLocked();

    Engine &m_engine;
    RefreshScheduler &m_scheduler;
    TokenService &m_tokens;
    const PresetRegistry &m_presets;
    const Clock &m_clock;
    SecretClipboard *m_clipboard;
    ProfileListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTimer *m_tick;

    // The request tester: the engine's runner (answers of any size, longer
    // timeout) on this process's tokens, and the engine's history.
    std::unique_ptr<RequestRunner> m_runner;
    ProfileActions *m_profileActions;
    TokenCopier *m_copier;
    RequestPane *m_requestPane = nullptr;
    QTabWidget *m_detailTabs = nullptr;
    TokenPage *m_tokenPage = nullptr;

    QVBoxLayout *m_centralLayout = nullptr;
    QWidget *m_banner = nullptr;
    ProfileListPane *m_listPane = nullptr;
    QLineEdit *m_filter = nullptr;
    QListView *m_list = nullptr;
    QStackedWidget *m_detailStack = nullptr;
    QLabel *m_placeholder = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_clipboardStatus = nullptr;
    QAction *m_copyHeaderAction = nullptr;
    QAction *m_copyTokenAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_filterAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_lockAction = nullptr;
    QWidget *m_lockedBar = nullptr; // shown while locked
    QLabel *m_lockedText = nullptr;
};

} // namespace tokenkeeper
