#pragma once

#include "profiles/profile.h"
#include "scheduler/profilestatus.h"

#include <QWidget>

class QLabel;
class QModelIndex;
class QPushButton;

namespace tokenkeeper {

// The Token tab of the main window: the selected profile's status, server,
// account, expiry and last error, and its buttons (Copy header, Copy token,
// Inspect…, Refresh now, Log in… or Log out, Edit…). It only shows; what a
// button does is the window's (the signals).
class TokenPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenPage)

public:
    explicit TokenPage(QWidget *parent = nullptr);
    ~TokenPage() override = default;

    // `index`: the profile's row in the ProfileListModel (its status text and
    // preset name); times are told relative to `now`.
    void showProfile(const Profile &profile, const ProfileStatus &status, const QModelIndex &index,
                     const QDateTime &now);
    // No profile: nothing to copy or refresh.
    void clear();

Q_SIGNALS:
    void copyHeaderClicked();
    void copyTokenClicked();
    void inspectClicked();
    void refreshClicked();
    void logInClicked();
    void logOutClicked();
    void editClicked();

private:
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
};

} // namespace tokenkeeper
