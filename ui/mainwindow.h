#pragma once

#include "profileeditor.h"

#include <QMainWindow>

#include <memory>
#include <optional>

class QAction;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSortFilterProxyModel;
class QNetworkAccessManager;
class QStackedWidget;
class QTabWidget;
class QTimer;
class QToolButton;
class QVBoxLayout;

namespace tokenkeeper {

class Agent;
class Clock;
class PresetRegistry;
class HttpClient;
class ProfileListModel;
class RefreshScheduler;
class RequestHistory;
class RequestPane;
class RequestRunner;
class ServiceTokenProvider;
class SecretClipboard;
class TokenService;
struct Profile;

// The main window: every profile with its live status, a filter, and the
// selected profile's details with "Copy header", "Copy token", "Refresh now".
//
//   Copy header --> tokens.token(profile, 60 s) ---(async)---> clipboard
//                   (an almost expired token is renewed first; the window
//                    never waits: the answer lands when it comes, and only
//                    the latest copy asked for reaches the clipboard)
//
// Adding, duplicating, editing (ProfileEditor) and deleting profiles write
// the profiles file through the agent's ProfileStore and have the agent
// reload it at once; logging in (LoginDialog) and out go through its
// TokenService, so the scheduler hears of them by its signals:
//
//   Delete --> asks --> TokenService::forget (keychain, async)
//                          `--> ProfileStore::remove --> Agent::reloadProfiles
//   Edit that changes server, preset, user or client --> forget, then update
//
// The tray copies by profile id (copyHeaderOf) without touching the
// selection; every copy, from a button, a key or the tray, ends in
// copyFinished() as well as in the status bar.
//
// It owns nothing of the engine: the agent (scheduler, token service,
// presets, profiles file), clock and clipboard are the application's.

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // A copied token is valid for at least this long.
    static constexpr int copyMinValidSeconds = 60;

    MainWindow(Agent &agent, const Clock &clock, SecretClipboard *clipboard,
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
    void addProfile();
    void duplicateProfile();
    void editProfile();
    void deleteProfile(); // asks first
    void logIn();
    void logOut();

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
    enum class Copy { Header, Token };

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
    void openEditor(ProfileEditor::Mode mode, const Profile &profile);
    void save(ProfileEditor *editor, const Profile &before, const Profile &after);
    void removeProfile(const Profile &profile);
    QStringList namesExcept(const QString &profileId) const;

    Agent &m_agent;
    RefreshScheduler &m_scheduler;
    TokenService &m_tokens;
    const PresetRegistry &m_presets;
    const Clock &m_clock;
    SecretClipboard *m_clipboard;
    ProfileListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTimer *m_tick;
    quint64 m_copySerial = 0;

    // The request tester: its own network access (answers of any size,
    // longer timeout) and the agent's tokens.
    QNetworkAccessManager *m_requestNam;
    HttpClient *m_requestHttp;
    std::unique_ptr<ServiceTokenProvider> m_requestTokens;
    RequestRunner *m_runner;
    std::unique_ptr<RequestHistory> m_history;
    RequestPane *m_requestPane = nullptr;
    QTabWidget *m_detailTabs = nullptr;
    QWidget *m_tokenPage = nullptr;

    QVBoxLayout *m_centralLayout = nullptr;
    QWidget *m_banner = nullptr;
    QLineEdit *m_filter = nullptr;
    QListView *m_list = nullptr;
    QStackedWidget *m_detailStack = nullptr;
    QLabel *m_placeholder = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_server = nullptr;
    QLabel *m_account = nullptr;
    QLabel *m_preset = nullptr;
    QLabel *m_expiry = nullptr;
    QLabel *m_issued = nullptr;
    QLabel *m_lastRefresh = nullptr;
    QLabel *m_nextRefresh = nullptr;
    QLabel *m_lastError = nullptr;
    QPushButton *m_copyHeaderButton = nullptr;
    QPushButton *m_copyTokenButton = nullptr;
    QPushButton *m_inspectButton = nullptr;
    QPushButton *m_refreshButton = nullptr;
    QPushButton *m_loginButton = nullptr;
    QPushButton *m_logoutButton = nullptr;
    QPushButton *m_editButton = nullptr;
    QToolButton *m_addButton = nullptr;
    QToolButton *m_duplicateButton = nullptr;
    QToolButton *m_deleteButton = nullptr;
    QLabel *m_clipboardStatus = nullptr;
    QAction *m_copyHeaderAction = nullptr;
    QAction *m_copyTokenAction = nullptr;
    QAction *m_refreshAction = nullptr;
    QAction *m_filterAction = nullptr;
    QAction *m_addAction = nullptr;
    QAction *m_duplicateAction = nullptr;
    QAction *m_editAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_loginAction = nullptr;
    QAction *m_logoutAction = nullptr;
    QAction *m_settingsAction = nullptr;
};

} // namespace tokenkeeper
