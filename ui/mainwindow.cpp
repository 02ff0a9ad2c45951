#include "mainwindow.h"

#include "auth/presetregistry.h"
#include "auth/tokenservice.h"
#include "core/clock.h"
#include "engine/engine.h"
#include "models/itemroles.h"
#include "models/profilelistmodel.h"
#include "plaintext.h"
#include "profileactions.h"
#include "profilelistpane.h"
#include "profiles/profilestore.h"
#include "request/requesthistory.h"
#include "request/requestrunner.h"
#include "requestpane.h"
#include "scheduler/refreshscheduler.h"
#include "secretclipboard.h"
#include "secrets/secretstore.h"
#include "tokencopier.h"
#include "tokeninspectordialog.h"
#include "tokenpage.h"

#include <QAction>
#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenuBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace tokenkeeper {

namespace {

constexpr int messageMs = 8000;
// The request tester keeps the start of answers of any size.
constexpr qint64 requestMaxBodyBytes = 64 * 1024 * 1024;

} // namespace

MainWindow::MainWindow(Engine &engine, const Clock &clock, SecretClipboard *clipboard,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_engine(engine)
    , m_scheduler(engine.scheduler())
    , m_tokens(engine.tokens())
    , m_presets(engine.presets())
    , m_clock(clock)
    , m_clipboard(clipboard)
    , m_model(new ProfileListModel(&m_scheduler, m_presets, clock, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_tick(new QTimer(this))
    , m_runner(engine.newRequestRunner(m_tokens, requestMaxBodyBytes))
    , m_profileActions(new ProfileActions(engine, this, [this] { return currentProfile(); }))
    , m_copier(new TokenCopier(m_tokens, clipboard, this))
{
    setWindowTitle(tr("Tokenkeeper"));
    setAccessibleName(tr("Tokenkeeper"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterRole(SearchTextRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    // The countdowns move once a second, and only while somebody can see them.
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, m_model, &ProfileListModel::tick);

    buildUi();
    buildActions();
    connect(
        m_profileActions, &ProfileActions::message, this,
        [this](const QString &text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); });
    connect(m_profileActions, &ProfileActions::selectRequested, this, &MainWindow::selectProfile);
    connect(m_copier, &TokenCopier::finished, this,
            [this](const QString &name, bool ok, const QString &message) {
                statusBar()->showMessage(message, ok ? messageMs : 0);
                Q_EMIT copyFinished(name, ok, message);
            });
    if (const auto problem = m_engine.historyProblem()) {
        statusBar()->showMessage(problem->message());
    }
    const auto showRefused = [this] {
        QStringList reasons;
        for (const RefusedProfile &entry : m_engine.refusedProfiles()) {
            reasons.append(entry.reason);
        }
        m_listPane->setRefused(reasons);
    };
    connect(&m_engine, &Engine::refusedProfilesChanged, this, showRefused);
    showRefused();

    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::updateDetails);
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &first, const QModelIndex &last) {
                const int row = currentRow();
                if (row >= first.row() && row <= last.row()) {
                    updateDetails();
                }
            });
    for (const auto signal :
         {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(m_proxy, signal, this, [this] {
            selectFirstIfNone();
            updateDetails();
        });
    }
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] {
        selectFirstIfNone();
        updateDetails();
    });

    connect(m_clipboard, &SecretClipboard::remainingChanged, this,
            &MainWindow::showClipboardCountdown);
    connect(m_clipboard, &SecretClipboard::cleared, this, [this] {
        m_clipboardStatus->hide();
        statusBar()->showMessage(tr("Clipboard cleared."), messageMs);
    });
    connect(m_clipboard, &SecretClipboard::released, this, [this] { m_clipboardStatus->hide(); });
    // Locked here or by `tokenkeeper lock`: no token stays in sight either.
    connect(&m_tokens, &TokenService::locked, this, &MainWindow::onLocked);
    connect(&m_tokens, &TokenService::unlocked, this, &MainWindow::updateLocked);
    connect(m_requestPane, &RequestPane::requestFinished, &m_engine, &Engine::noteUse);

    selectFirstIfNone();
    updateDetails();
    updateLocked();
    resize(920, 560);
}

MainWindow::~MainWindow()
{
    // The request pane first: a request it still waits for is aborted and
    // answers through the runner, which must still be there.
    delete m_requestPane;
}

void MainWindow::buildUi()
{
    m_listPane = new ProfileListPane(m_proxy);
    m_filter = m_listPane->filter();
    m_list = m_listPane->list();

    // The selected profile's details.
    m_title = plainLabel(); // the profiles file's words
    m_title->setObjectName(QStringLiteral("detailTitle"));
    m_title->setAccessibleName(tr("Profile name"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_tokenPage = new TokenPage;
    connect(m_tokenPage, &TokenPage::copyHeaderClicked, this, &MainWindow::copyHeader);
    connect(m_tokenPage, &TokenPage::copyTokenClicked, this, &MainWindow::copyToken);
    connect(m_tokenPage, &TokenPage::inspectClicked, this, &MainWindow::inspectToken);
    connect(m_tokenPage, &TokenPage::refreshClicked, this, &MainWindow::refreshNow);
    connect(m_tokenPage, &TokenPage::logInClicked, m_profileActions, &ProfileActions::logIn);
    connect(m_tokenPage, &TokenPage::logOutClicked, m_profileActions, &ProfileActions::logOut);
    connect(m_tokenPage, &TokenPage::editClicked, m_profileActions, &ProfileActions::editProfile);

    m_requestPane = new RequestPane(
        *m_runner, m_tokens, m_engine.history(),
        [this]() -> SecretStore & { return *m_engine.tokens().secretStore(); }, m_clipboard);
    connect(m_requestPane, &RequestPane::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, messageMs); });

    m_detailTabs = new QTabWidget;
    m_detailTabs->setObjectName(QStringLiteral("detailTabs"));
    m_detailTabs->setAccessibleName(tr("Token and request tester"));
    m_detailTabs->setDocumentMode(true);
    m_detailTabs->addTab(m_tokenPage, tr("Token"));
    m_detailTabs->addTab(m_requestPane, tr("Request"));

    auto *details = new QWidget;
    auto *detailLayout = new QVBoxLayout(details);
    detailLayout->addWidget(m_title);
    detailLayout->addWidget(m_detailTabs, 1);

    m_placeholder = new QLabel;
    m_placeholder->setObjectName(QStringLiteral("detailPlaceholder"));
    m_placeholder->setAccessibleName(tr("No profile selected"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setTextFormat(Qt::PlainText);

    m_detailStack = new QStackedWidget;
    m_detailStack->setObjectName(QStringLiteral("detailPane"));
    m_detailStack->setAccessibleName(tr("Profile details"));
    m_detailStack->addWidget(m_placeholder);
    m_detailStack->addWidget(details);

    auto *splitter = new QSplitter;
    splitter->setObjectName(QStringLiteral("splitter"));
    splitter->setAccessibleName(tr("Profiles and details"));
    splitter->addWidget(m_listPane);
    splitter->addWidget(m_detailStack);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({340, 580}); // room for a name and its preset side by side

    // A banner (setBanner) goes above the splitter.
    auto *central = new QWidget;
    m_centralLayout = new QVBoxLayout(central);
    m_centralLayout->setContentsMargins(0, 0, 0, 0);
    // Locked (Engine::lock): says so, with the way back.
    m_lockedBar = new QWidget;
    m_lockedBar->setObjectName(QStringLiteral("lockedBar"));
    m_lockedBar->setAccessibleName(tr("Locked"));
    m_lockedBar->setAutoFillBackground(true);
    m_lockedBar->setBackgroundRole(QPalette::AlternateBase);
    auto *lockedLayout = new QHBoxLayout(m_lockedBar);
    m_lockedText = new QLabel;
    m_lockedText->setObjectName(QStringLiteral("lockedText"));
    m_lockedText->setAccessibleName(tr("Lock state"));
    m_lockedText->setTextFormat(Qt::PlainText);
    m_lockedText->setWordWrap(true);
    auto *unlock = new QPushButton(tr("&Unlock"));
    unlock->setObjectName(QStringLiteral("unlockButton"));
    unlock->setAccessibleName(tr("Unlock"));
    unlock->setToolTip(tr("Reads the selected profile's token from the keychain again"));
    connect(unlock, &QPushButton::clicked, this, &MainWindow::unlock);
    lockedLayout->addWidget(m_lockedText, 1);
    lockedLayout->addWidget(unlock);
    m_centralLayout->addWidget(m_lockedBar);
    m_centralLayout->addWidget(splitter, 1);
    setCentralWidget(central);

    m_clipboardStatus = plainLabel();
    m_clipboardStatus->setObjectName(QStringLiteral("clipboardStatus"));
    m_clipboardStatus->setAccessibleName(tr("Clipboard countdown"));
    m_clipboardStatus->hide();
    statusBar()->setAccessibleName(tr("Status bar"));
    statusBar()->addPermanentWidget(m_clipboardStatus);
}

void MainWindow::buildActions()
{
    // Ctrl+C copies the header only while the list has focus: elsewhere
    // (the filter, a selectable label) it keeps its usual meaning.
    m_copyHeaderAction = new QAction(tr("Copy &header"), this);
    m_copyHeaderAction->setShortcut(QKeySequence::Copy);
    m_copyHeaderAction->setShortcutContext(Qt::WidgetShortcut);
    connect(m_copyHeaderAction, &QAction::triggered, this, &MainWindow::copyHeader);
    m_list->addAction(m_copyHeaderAction);

    m_copyTokenAction = new QAction(tr("Copy &token"), this);
    m_copyTokenAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_copyTokenAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_copyTokenAction, &QAction::triggered, this, &MainWindow::copyToken);
    m_list->addAction(m_copyTokenAction);

    m_refreshAction = new QAction(tr("&Refresh now"), this);
    m_refreshAction->setShortcut(QKeySequence::Refresh);
    m_refreshAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_refreshAction, &QAction::triggered, this, &MainWindow::refreshNow);
    m_list->addAction(m_refreshAction);

    m_filterAction = new QAction(tr("&Filter"), this);
    m_filterAction->setShortcut(QKeySequence::Find);
    m_filterAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_filterAction, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    addAction(m_filterAction);

    // The profile operations: their own actions (ProfileActions).
    const ProfileActions &ops = *m_profileActions;
    addActions({ops.add(), ops.logInAction()});
    m_list->addAction(ops.remove());
    m_listPane->setButtonActions(ops.add(), ops.duplicate(), ops.remove());
    // The list's context menu: everything for the profile under it.
    const auto separator = [this] {
        auto *action = new QAction(this);
        action->setSeparator(true);
        return action;
    };
    m_list->insertActions(m_copyHeaderAction, {ops.logInAction(), ops.logOutAction(), separator()});
    m_list->insertActions(ops.remove(), {separator(), ops.edit(), ops.duplicate(), ops.add()});

    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, qApp, &QApplication::closeAllWindows);

    m_settingsAction = new QAction(tr("&Settings…"), this);
    m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_settingsAction->setShortcutContext(Qt::WindowShortcut);
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::settingsRequested);

    m_lockAction =
        new QAction(QIcon::fromTheme(QStringLiteral("system-lock-screen")), tr("&Lock"), this);
    m_lockAction->setObjectName(QStringLiteral("lockAction"));
    m_lockAction->setToolTip(tr("Drops every token and secret from memory until the next use"));
    m_lockAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L)); // Ctrl+L: Log in
    m_lockAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_lockAction, &QAction::triggered, this, &MainWindow::lock);
    addAction(m_lockAction);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_lockAction);
    file->addAction(m_settingsAction);
    file->addSeparator();
    file->addAction(quit);
    QMenu *profile = menuBar()->addMenu(tr("&Profile"));
    profile->addActions({ops.add(), ops.duplicate(), ops.edit(), ops.remove()});
    profile->addSeparator();
    profile->addActions({ops.logInAction(), ops.logOutAction()});
    profile->addSeparator();
    profile->addActions({m_copyHeaderAction, m_copyTokenAction, m_refreshAction});
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_filterAction);
    auto *token = new QAction(tr("&Token"), this);
    token->setObjectName(QStringLiteral("showTokenAction"));
    token->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    connect(token, &QAction::triggered, this,
            [this] { m_detailTabs->setCurrentIndex(m_detailTabs->indexOf(m_tokenPage)); });
    auto *request = new QAction(tr("&Request tester"), this);
    request->setObjectName(QStringLiteral("showRequestAction"));
    request->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    connect(request, &QAction::triggered, this, &MainWindow::showRequestTester);
    view->addAction(token);
    view->addAction(request);
    menuBar()->setAccessibleName(tr("Menu bar"));
}

void MainWindow::showRequestTester()
{
    m_detailTabs->setCurrentWidget(m_requestPane);
    m_requestPane->focusTarget();
}

bool MainWindow::selectProfile(const QString &idOrName)
{
    const auto profile = m_scheduler.find(idOrName);
    const int row = profile ? m_model->rowOf(profile->id) : -1;
    if (row < 0) {
        return false;
    }
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row));
    if (!index.isValid()) {
        m_filter->clear(); // filtered out: show it
    }
    m_list->setCurrentIndex(m_proxy->mapFromSource(m_model->index(row)));
    return true;
}

void MainWindow::setBanner(QWidget *banner)
{
    if (m_banner == banner) {
        return;
    }
    delete m_banner;
    m_banner = banner;
    if (banner) {
        m_centralLayout->insertWidget(0, banner);
    }
}

int MainWindow::currentRow() const
{
    const QModelIndex index = m_proxy->mapToSource(m_list->currentIndex());
    return index.isValid() ? index.row() : -1;
}

std::optional<Profile> MainWindow::currentProfile() const
{
    const int row = currentRow();
    return row < 0 ? std::nullopt : std::optional<Profile>(m_model->profileAt(row));
}

void MainWindow::copyHeader()
{
    if (const auto profile = currentProfile()) {
        copy(*profile, Copy::Header);
    }
}

void MainWindow::copyToken()
{
    if (const auto profile = currentProfile()) {
        copy(*profile, Copy::Token);
    }
}

void MainWindow::copyHeaderOf(const QString &profileId)
{
    copyOf(profileId, Copy::Header);
}

void MainWindow::copyTokenOf(const QString &profileId)
{
    copyOf(profileId, Copy::Token);
}

void MainWindow::copyOf(const QString &profileId, Copy what)
{
    if (const auto profile = m_scheduler.find(profileId)) {
        copy(*profile, what);
        return;
    }
    const QString message = tr("There is no profile \"%1\" any more.").arg(profileId);
    statusBar()->showMessage(message, messageMs);
    Q_EMIT copyFinished(profileId, false, message);
}

void MainWindow::inspectToken()
{
    const auto profile = currentProfile();
    if (!profile) {
        return;
    }
    m_engine.noteUse();
    m_tokens.token(*profile, 0, this, [this, name = profile->name](const Result<TokenSet> &result) {
        if (!result) {
            statusBar()->showMessage(
                tr("No token to inspect for %1: %2").arg(name, result.error().message()));
            return;
        }
        auto *dialog = new TokenInspectorDialog(
            name, result->accessToken,
            TokenInspection::inspect(result->accessToken, m_clock.now(), result->obtainedAt), this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
}

void MainWindow::lock()
{
    statusBar()->showMessage(m_engine.lock().message(), messageMs);
}

void MainWindow::onLocked()
{
    m_clipboard->clear(); // only if it still holds what we put there
    for (TokenInspectorDialog *inspector : findChildren<TokenInspectorDialog *>()) {
        inspector->close(); // deleted on close, with the token it shows
    }
    updateLocked();
}

void MainWindow::unlock()
{
    const auto profile = currentProfile();
    if (!profile) {
        m_lockedText->setText(tr("Select a profile to read its token from the keychain."));
        return;
    }
    m_engine.noteUse();
    m_lockedText->setText(tr("Reading the keychain for %1…").arg(profile->name));
    m_tokens.token(*profile, 0, this, [this, name = profile->name](const Result<TokenSet> &result) {
        if (!result) {
            m_lockedText->setText(
                tr("Still locked: %1 could not be read (%2)").arg(name, result.error().message()));
            return;
        }
        updateLocked();
    });
}

void MainWindow::updateLocked()
{
    const bool locked = m_tokens.isLocked();
    m_lockedBar->setVisible(locked);
    m_lockAction->setEnabled(!locked);
    if (locked) {
        m_lockedText->setText(
            tr("Locked: no token or secret is in memory and nothing is renewed. The next copy, "
               "request or Unlock reads the keychain again (it asks for its own password if "
               "the keyring is locked)."));
    }
}

void MainWindow::copy(const Profile &profile, Copy what)
{
    m_engine.noteUse();
    // The answer may take a while (a slow server, a keychain prompt): the window goes on.
    statusBar()->showMessage(tr("Getting a token for %1…").arg(profile.name));
    m_copier->copy(profile, what);
}

void MainWindow::refreshNow()
{
    if (const auto profile = currentProfile()) {
        m_engine.noteUse();
        m_scheduler.refreshNow(profile->id);
        statusBar()->showMessage(tr("Refreshing %1…").arg(profile->name), messageMs);
    }
}

void MainWindow::editProfile()
{
    m_profileActions->editProfile();
}

void MainWindow::logIn()
{
    m_profileActions->logIn();
}

void MainWindow::updateDetails()
{
    const int row = currentRow();
    if (row < 0) {
        m_placeholder->setText(m_model->rowCount() == 0
                                   ? tr("No profiles yet.\n\nAdd one with \"Add…\" (Ctrl+N).")
                                   : tr("Select a profile."));
        m_detailStack->setCurrentWidget(m_placeholder);
        for (QAction *action : {m_copyHeaderAction, m_copyTokenAction, m_refreshAction}) {
            action->setEnabled(false);
        }
        m_profileActions->setProfileState(false, false);
        m_tokenPage->clear();
        return;
    }
    m_detailStack->setCurrentIndex(1);
    const Profile &profile = m_model->profileAt(row);
    const ProfileStatus &status = m_model->statusAt(row);
    const QModelIndex index = m_model->index(row);
    m_title->setText(profile.name);
    m_requestPane->setProfile(profile);
    m_tokenPage->showProfile(profile, status, index, m_clock.now());

    using State = ProfileStatus::State;
    const bool canCopy = status.state != State::LoggedOut && status.state != State::LoginRequired;
    const bool canRefresh = canCopy && status.state != State::Refreshing;
    m_copyHeaderAction->setEnabled(canCopy);
    m_copyTokenAction->setEnabled(canCopy);
    m_refreshAction->setEnabled(canRefresh);
    m_profileActions->setProfileState(true, status.state != State::LoggedOut);
}

void MainWindow::selectFirstIfNone()
{
    if (!m_list->currentIndex().isValid() && m_proxy->rowCount() > 0) {
        m_list->setCurrentIndex(m_proxy->index(0, 0));
    }
}

void MainWindow::showClipboardCountdown(int seconds)
{
    m_clipboardStatus->setText(
        tr("Clipboard clears in %1").arg(ProfileListModel::formatDuration(seconds)));
    m_clipboardStatus->show();
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    updateTicking();
}

void MainWindow::hideEvent(QHideEvent *event)
{
    QMainWindow::hideEvent(event);
    updateTicking();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::WindowStateChange) {
        updateTicking();
    }
}

void MainWindow::updateTicking()
{
    const bool visible = isVisible() && !isMinimized();
    if (visible && !m_tick->isActive()) {
        m_model->tick(); // catch up at once
        m_tick->start();
    } else if (!visible) {
        m_tick->stop();
    }
}

} // namespace tokenkeeper
