#pragma once

#include <QHash>
#include <QIcon>
#include <QObject>
#include <QPointer>

#include <memory>

class QAbstractItemModel;
class QMenu;
class QModelIndex;
class QSystemTrayIcon;
class QWidget;

namespace tokenkeeper {

// The app in the notification area: a menu with every profile's "Copy header"
// and "Refresh", a tooltip naming the profiles that need attention, and a
// notification when one needs a login again. It reads the profile model's
// roles (models/itemroles.h) and asks for the actions by signal: the
// application wires them to what the window does, so nothing is done twice.
//
//   model rows / state change --> menu rebuilt (on the next event-loop turn)
//                             --> tooltip: "Log in again: a, b; backing off: c"
//   a row's state becomes LoginRequired --> notify(): showMessage(), notified()
//   window closed, close-to-tray on, icon shown --> the window hides instead
//
// Without a system tray (isAvailable() false, as offscreen) it builds the same
// menu and tooltip and emits the same signals, but shows nothing.
class TrayIcon final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayIcon)

public:
    // More profiles than this are left to the window.
    static constexpr int maxProfilesInMenu = 20;

    // Whether there is a system tray to show the icon in: isAvailable(), or
    // taken for granted. Offscreen has none; tests assume one there to follow
    // close-to-tray and start minimized, though nothing is drawn.
    enum class SystemTray { Detect, Assume };

    explicit TrayIcon(QAbstractItemModel *profiles, SystemTray tray = SystemTray::Detect,
                      QObject *parent = nullptr);
    ~TrayIcon() override;

    // The application's icon, :/icons/tokenkeeper.svg.
    static QIcon appIcon();
    static bool isAvailable();

    // Whether there is a tray (isAvailable(), or assumed).
    bool hasTray() const { return m_hasTray; }
    // Shows the icon if there is a tray to show it in.
    void show();
    // Whether the icon is shown in a tray.
    bool isShown() const;

    QMenu *menu() const { return m_menu.get(); }
    QString toolTip() const { return m_toolTip; }
    // Rebuilds the menu now rather than on the next turn.
    void rebuildMenu();
    // A warning notification about a profile (id or name): a click on it
    // shows the profile. Emits notified(), with or without a tray.
    void notify(const QString &profile, const QString &title, const QString &message);

    // Closing `window` hides it while close-to-tray is on and the icon is shown.
    void keepInTray(QWidget *window);
    void setCloseToTray(bool on) { m_closeToTray = on; }
    bool closeToTray() const { return m_closeToTray; }
    // Hides the window into the tray (start minimized), if the icon is shown.
    bool hideToTray();
    // Whether the window was closed into the tray (and not shown since): the
    // application goes on when its last other window closes.
    bool windowInTray() const { return m_windowInTray; }

Q_SIGNALS:
    void copyHeaderRequested(const QString &profileId);
    void refreshRequested(const QString &profileId);
    void showProfileRequested(const QString &profileId);
    void showWindowRequested();
    void toggleWindowRequested(); // the icon was clicked
    void settingsRequested();
    void lockRequested();
    void quitRequested();
    // A notification was shown (or would have been, without a tray).
    void notified(const QString &profileId, const QString &title, const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void scheduleRebuild();
    void onDataChanged(const QModelIndex &first, const QModelIndex &last, const QList<int> &roles);
    void rememberStates();
    void notifyLoginRequired(int row);
    void updateToolTip();

    QAbstractItemModel *m_profiles;
    const bool m_hasTray;
    QSystemTrayIcon *m_icon;
    std::unique_ptr<QMenu> m_menu; // a QMenu has no QObject parent to own it
    QString m_toolTip;
    QHash<QString, int> m_states; // profile id -> ProfileStatus::State last seen
    QString m_lastNotified; // the profile a click on the notification shows
    QPointer<QWidget> m_window;
    bool m_closeToTray = false;
    bool m_windowInTray = false;
    bool m_toldAboutTray = false;
    bool m_rebuildQueued = false;
    bool m_rebuildWhenHidden = false;
};

} // namespace tokenkeeper
