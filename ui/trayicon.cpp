#include "trayicon.h"

#include "models/itemroles.h"
#include "scheduler/profilestatus.h"

#include <QAbstractItemModel>
#include <QCloseEvent>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QWidget>

namespace tokenkeeper {

namespace {

using State = ProfileStatus::State;

constexpr int notificationMs = 10'000;
constexpr int namesInToolTip = 5;

State stateOf(const QModelIndex &index)
{
    return State(index.data(StateRole).toInt());
}

bool needsAttention(State state)
{
    return state == State::LoginRequired || state == State::BackingOff;
}

QString attentionText(State state)
{
    return state == State::LoginRequired ? TrayIcon::tr("login required")
                                         : TrayIcon::tr("backing off");
}

QString joinNames(QStringList names)
{
    if (names.size() > namesInToolTip) {
        const qsizetype more = names.size() - namesInToolTip;
        names.resize(namesInToolTip);
        names.append(TrayIcon::tr("%n more", nullptr, int(more)));
    }
    return names.join(QStringLiteral(", "));
}

} // namespace

TrayIcon::TrayIcon(QAbstractItemModel *profiles, SystemTray tray, QObject *parent)
    : QObject(parent)
    , m_profiles(profiles)
    , m_hasTray(tray == SystemTray::Assume || isAvailable())
    , m_icon(new QSystemTrayIcon(appIcon(), this))
    , m_menu(std::make_unique<QMenu>())
{
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    m_menu->setAccessibleName(tr("Tokenkeeper"));
    m_icon->setContextMenu(m_menu.get());
    connect(m_menu.get(), &QMenu::aboutToHide, this, [this] {
        if (m_rebuildWhenHidden) {
            scheduleRebuild();
        }
    });
    connect(m_icon, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick) {
                    Q_EMIT toggleWindowRequested();
                }
            });
    connect(m_icon, &QSystemTrayIcon::messageClicked, this, [this] {
        if (m_lastNotified.isEmpty()) {
            Q_EMIT showWindowRequested();
        } else {
            Q_EMIT showProfileRequested(m_lastNotified);
        }
    });

    // Rows come and go: a new menu. A state changes: a new menu, and perhaps news.
    const auto resync = [this] {
        rememberStates();
        scheduleRebuild();
    };
    connect(m_profiles, &QAbstractItemModel::rowsInserted, this, resync);
    connect(m_profiles, &QAbstractItemModel::rowsRemoved, this, resync);
    connect(m_profiles, &QAbstractItemModel::rowsMoved, this, resync);
    connect(m_profiles, &QAbstractItemModel::modelReset, this, resync);
    connect(m_profiles, &QAbstractItemModel::layoutChanged, this, resync);
    connect(m_profiles, &QAbstractItemModel::dataChanged, this, &TrayIcon::onDataChanged);

    rememberStates();
    rebuildMenu();
}

TrayIcon::~TrayIcon()
{
    m_icon->setContextMenu(nullptr);
}

QIcon TrayIcon::appIcon()
{
    return QIcon(QStringLiteral(":/icons/tokenkeeper.svg"));
}

bool TrayIcon::isAvailable()
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayIcon::show()
{
    if (m_hasTray) {
        m_icon->show();
    }
}

bool TrayIcon::isShown() const
{
    return m_hasTray && m_icon->isVisible();
}

void TrayIcon::keepInTray(QWidget *window)
{
    if (m_window) {
        m_window->removeEventFilter(this);
    }
    m_window = window;
    if (m_window) {
        m_window->installEventFilter(this);
    }
}

bool TrayIcon::hideToTray()
{
    if (!m_window || !isShown()) {
        return false;
    }
    m_window->hide();
    m_windowInTray = true;
    return true;
}

bool TrayIcon::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::Close && m_closeToTray && isShown()
        && event->spontaneous()) {
        // The user closed it; the app stays in the tray. (close() from code,
        // as Quit's closeAllWindows(), still closes.)
        event->ignore();
        m_window->hide();
        m_windowInTray = true;
        if (!m_toldAboutTray) { // once a session: where did it go?
            m_toldAboutTray = true;
            m_icon->showMessage(tr("Tokenkeeper is still running"),
                                tr("It keeps your tokens fresh from here. Quit from this icon's "
                                   "menu."),
                                QSystemTrayIcon::Information, notificationMs);
        }
        return true;
    }
    if (watched == m_window && event->type() == QEvent::Show) {
        m_windowInTray = false;
    }
    return QObject::eventFilter(watched, event);
}

void TrayIcon::scheduleRebuild()
{
    if (m_rebuildQueued) {
        return;
    }
    m_rebuildQueued = true;
    QMetaObject::invokeMethod(this, &TrayIcon::rebuildMenu, Qt::QueuedConnection);
}

void TrayIcon::onDataChanged(const QModelIndex &first, const QModelIndex &last,
                             const QList<int> &roles)
{
    // The countdowns move every second (StatusTextRole alone): nothing for the tray.
    if (!roles.isEmpty() && !roles.contains(StateRole) && !roles.contains(Qt::DisplayRole)) {
        return;
    }
    bool changed = false;
    for (int row = first.row(); row <= last.row(); ++row) {
        const QModelIndex index = m_profiles->index(row, 0);
        const QString id = index.data(ProfileIdRole).toString();
        const State state = stateOf(index);
        const auto seen = m_states.constFind(id);
        if (seen != m_states.cend() && State(*seen) != state && state == State::LoginRequired) {
            notifyLoginRequired(row);
        }
        changed = changed || seen == m_states.cend() || State(*seen) != state;
        m_states.insert(id, int(state));
    }
    if (changed || roles.isEmpty() || roles.contains(Qt::DisplayRole)) {
        updateToolTip();
        scheduleRebuild();
    }
}

void TrayIcon::rememberStates()
{
    // New rows are not news: a profile that already needed a login when the
    // app started is in the tooltip, not in a notification.
    QHash<QString, int> states;
    for (int row = 0; row < m_profiles->rowCount(); ++row) {
        const QModelIndex index = m_profiles->index(row, 0);
        states.insert(index.data(ProfileIdRole).toString(), int(stateOf(index)));
    }
    m_states = states;
    updateToolTip();
}

void TrayIcon::notifyLoginRequired(int row)
{
    const QModelIndex index = m_profiles->index(row, 0);
    const QString id = index.data(ProfileIdRole).toString();
    const QString name = index.data(Qt::DisplayRole).toString();
    const QString reason = index.data(ReasonRole).toString();
    const QString title = tr("%1 needs a login").arg(name);
    const QString message = reason.isEmpty()
        ? tr("The server no longer accepts the stored credentials. Log in again.")
        : tr("The server says: %1\nLog in again.").arg(reason);
    notify(id, title, message);
}

void TrayIcon::notify(const QString &profile, const QString &title, const QString &message)
{
    m_lastNotified = profile;
    if (isShown()) {
        // Notification servers read the body as markup: the server's words escaped.
        m_icon->showMessage(title, message.toHtmlEscaped(), QSystemTrayIcon::Warning,
                            notificationMs);
    }
    Q_EMIT notified(profile, title, message);
}

void TrayIcon::updateToolTip()
{
    QStringList loginRequired;
    QStringList backingOff;
    const int rows = m_profiles->rowCount();
    for (int row = 0; row < rows; ++row) {
        const QModelIndex index = m_profiles->index(row, 0);
        const State state = stateOf(index);
        if (state == State::LoginRequired) {
            loginRequired.append(index.data(Qt::DisplayRole).toString());
        } else if (state == State::BackingOff) {
            backingOff.append(index.data(Qt::DisplayRole).toString());
        }
    }
    QStringList lines {tr("Tokenkeeper")};
    if (!loginRequired.isEmpty()) {
        lines.append(tr("Log in again: %1").arg(joinNames(loginRequired)));
    }
    if (!backingOff.isEmpty()) {
        lines.append(tr("Backing off: %1").arg(joinNames(backingOff)));
    }
    if (loginRequired.isEmpty() && backingOff.isEmpty()) {
        lines.append(rows == 0       ? tr("No profiles")
                         : rows == 1 ? tr("1 profile, all fine")
                                     : tr("%1 profiles, all fine").arg(rows));
    }
    m_toolTip = lines.join(u'\n');
    m_icon->setToolTip(m_toolTip);
}

void TrayIcon::rebuildMenu()
{
    m_rebuildQueued = false;
    if (m_menu->isVisible()) {
        // Not under the user's pointer: once the menu closes.
        m_rebuildWhenHidden = true;
        return;
    }
    m_rebuildWhenHidden = false;
    m_menu->clear(); // deletes the actions it owns, but not the submenus
    const QList<QMenu *> submenus = m_menu->findChildren<QMenu *>(Qt::FindDirectChildrenOnly);
    for (QMenu *submenu : submenus) {
        submenu->setParent(nullptr);
        submenu->deleteLater(); // perhaps in the middle of its triggered()
    }

    QAction *show = m_menu->addAction(tr("&Show Tokenkeeper"));
    show->setObjectName(QStringLiteral("trayShow"));
    connect(show, &QAction::triggered, this, &TrayIcon::showWindowRequested);
    m_menu->addSeparator();

    const int rows = m_profiles->rowCount();
    for (int row = 0; row < std::min(rows, maxProfilesInMenu); ++row) {
        const QModelIndex index = m_profiles->index(row, 0);
        const QString id = index.data(ProfileIdRole).toString();
        const QString name = index.data(Qt::DisplayRole).toString();
        const State state = stateOf(index);

        // "&" in a profile's name is not a mnemonic.
        QString title = QString(name).replace(u'&', QStringLiteral("&&"));
        if (needsAttention(state)) {
            title += QStringLiteral(" — ") + attentionText(state);
        }
        QMenu *profile = m_menu->addMenu(title);
        profile->setObjectName(QStringLiteral("trayProfile:") + id);
        profile->setAccessibleName(name);
        if (needsAttention(state)) {
            profile->setIcon(QIcon::fromTheme(QStringLiteral("dialog-warning")));
        }

        QAction *copy =
            profile->addAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("Copy &header"));
        copy->setObjectName(QStringLiteral("trayCopyHeader"));
        // No token can come without a login.
        copy->setEnabled(state != State::LoggedOut && state != State::LoginRequired);
        connect(copy, &QAction::triggered, this, [this, id] { Q_EMIT copyHeaderRequested(id); });

        QAction *refresh =
            profile->addAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("&Refresh"));
        refresh->setObjectName(QStringLiteral("trayRefresh"));
        refresh->setEnabled(state != State::LoggedOut && state != State::Refreshing);
        connect(refresh, &QAction::triggered, this, [this, id] { Q_EMIT refreshRequested(id); });

        profile->addSeparator();
        QAction *open = profile->addAction(state == State::LoginRequired ? tr("&Log in…")
                                                                         : tr("Show in &window"));
        open->setObjectName(QStringLiteral("trayShowProfile"));
        connect(open, &QAction::triggered, this, [this, id] { Q_EMIT showProfileRequested(id); });
    }
    if (rows > maxProfilesInMenu) {
        QAction *more =
            m_menu->addAction(tr("%n more in the window…", nullptr, rows - maxProfilesInMenu));
        more->setObjectName(QStringLiteral("trayMore"));
        connect(more, &QAction::triggered, this, &TrayIcon::showWindowRequested);
    }
    if (rows == 0) {
        QAction *none = m_menu->addAction(tr("No profiles yet"));
        none->setEnabled(false);
    }

    m_menu->addSeparator();
    QAction *lock =
        m_menu->addAction(QIcon::fromTheme(QStringLiteral("system-lock-screen")), tr("&Lock"));
    lock->setObjectName(QStringLiteral("trayLock"));
    lock->setToolTip(tr("Drops every token and secret from memory until the next use"));
    connect(lock, &QAction::triggered, this, &TrayIcon::lockRequested);
    QAction *settings =
        m_menu->addAction(QIcon::fromTheme(QStringLiteral("configure")), tr("S&ettings…"));
    settings->setObjectName(QStringLiteral("traySettings"));
    connect(settings, &QAction::triggered, this, &TrayIcon::settingsRequested);
    QAction *quit =
        m_menu->addAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"));
    quit->setObjectName(QStringLiteral("trayQuit"));
    connect(quit, &QAction::triggered, this, &TrayIcon::quitRequested);
}

} // namespace tokenkeeper
