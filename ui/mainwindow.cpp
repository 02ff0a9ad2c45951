#include "mainwindow.h"

#include "agent/agent.h"
#include "auth/presetregistry.h"
#include "auth/tokenservice.h"
#include "core/clock.h"
#include "logindialog.h"
#include "models/itemroles.h"
#include "models/profilelistmodel.h"
#include "net/httpclient.h"
#include "profiledelegate.h"
#include "profiles/profilestore.h"
#include "profiles/profilevalidator.h"
#include "request/requesthistory.h"
#include "request/requestrunner.h"
#include "request/servicetokenprovider.h"
#include "requestpane.h"
#include "scheduler/refreshscheduler.h"
#include "secretclipboard.h"
#include "tokeninspectordialog.h"

#include <QAction>
#include <QApplication>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPointer>
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
// The request tester waits longer than a token request, and keeps the start
// of answers of any size.
constexpr int requestTimeoutMs = 60'000;
constexpr qint64 requestMaxBodyBytes = 64 * 1024 * 1024;

QLabel *valueLabel(const QString &accessibleName, const QString &objectName)
{
    auto *label = new QLabel;
    label->setObjectName(objectName);
    label->setAccessibleName(accessibleName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    return label;
}

} // namespace

MainWindow::MainWindow(Agent &agent, const Clock &clock, SecretClipboard *clipboard,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_agent(agent)
    , m_scheduler(agent.scheduler())
    , m_tokens(agent.tokens())
    , m_presets(agent.presets())
    , m_clock(clock)
    , m_clipboard(clipboard)
    , m_model(new ProfileListModel(&m_scheduler, m_presets, clock, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_tick(new QTimer(this))
    , m_requestNam(new QNetworkAccessManager(this))
    , m_requestHttp(new HttpClient(
          m_requestNam, {requestTimeoutMs, requestMaxBodyBytes, /*cutOverLimit=*/true}, this))
    , m_requestTokens(std::make_unique<ServiceTokenProvider>(m_tokens, tr("the agent")))
    , m_runner(new RequestRunner(*m_requestHttp, *m_requestTokens, clock, this))
    , m_history(std::make_unique<RequestHistory>(RequestHistory::defaultPath()))
{
    setWindowTitle(tr("Tokenkeeper"));
    setAccessibleName(tr("Tokenkeeper"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterRole(SearchTextRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

    // The countdowns move once a second, and only while somebody can see them.
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, m_model, &ProfileListModel::tick);

    const auto historyLoaded = m_history->load();
    buildUi();
    buildActions();
    if (!historyLoaded) {
        statusBar()->showMessage(historyLoaded.error().message());
    }

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

    selectFirstIfNone();
    updateDetails();
    resize(920, 560);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi()
{
    // The list, with its filter on top.
    m_filter = new QLineEdit;
    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setAccessibleName(tr("Filter profiles"));
    m_filter->setPlaceholderText(tr("Filter (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    // Return in the filter goes on to the list.
    connect(m_filter, &QLineEdit::returnPressed, this, [this] { m_list->setFocus(); });

    m_list = new QListView;
    m_list->setObjectName(QStringLiteral("profileList"));
    m_list->setAccessibleName(tr("Profiles"));
    m_list->setModel(m_proxy);
    m_list->setItemDelegate(new ProfileDelegate(m_list));
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);

    // Add, duplicate and delete under the list (their actions: buildActions).
    const auto toolButton = [](const QString &objectName, const QString &accessibleName) {
        auto *button = new QToolButton;
        button->setObjectName(objectName);
        button->setAccessibleName(accessibleName);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setAutoRaise(true);
        return button;
    };
    m_addButton = toolButton(QStringLiteral("addButton"), tr("Add profile"));
    m_duplicateButton = toolButton(QStringLiteral("duplicateButton"), tr("Duplicate profile"));
    m_deleteButton = toolButton(QStringLiteral("deleteButton"), tr("Delete profile"));
    auto *listButtons = new QHBoxLayout;
    listButtons->setContentsMargins(0, 0, 0, 0);
    listButtons->addWidget(m_addButton);
    listButtons->addWidget(m_duplicateButton);
    listButtons->addStretch();
    listButtons->addWidget(m_deleteButton);

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_list);
    leftLayout->addLayout(listButtons);

    // The selected profile's details.
    m_title = new QLabel;
    m_title->setObjectName(QStringLiteral("detailTitle"));
    m_title->setAccessibleName(tr("Profile name"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_status = valueLabel(tr("Status"), QStringLiteral("detailStatus"));
    m_server = valueLabel(tr("Server"), QStringLiteral("detailServer"));
    m_account = valueLabel(tr("User or client"), QStringLiteral("detailAccount"));
    m_preset = valueLabel(tr("Preset"), QStringLiteral("detailPreset"));
    m_expiry = valueLabel(tr("Token expires"), QStringLiteral("detailExpiry"));
    m_issued = valueLabel(tr("Token issued"), QStringLiteral("detailIssued"));
    m_lastRefresh = valueLabel(tr("Last refresh"), QStringLiteral("detailLastRefresh"));
    m_nextRefresh = valueLabel(tr("Next refresh"), QStringLiteral("detailNextRefresh"));
    m_lastError = valueLabel(tr("Last error"), QStringLiteral("detailLastError"));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Status:"), m_status);
    form->addRow(tr("Server:"), m_server);
    form->addRow(tr("User / client:"), m_account);
    form->addRow(tr("Preset:"), m_preset);
    form->addRow(tr("Token expires:"), m_expiry);
    form->addRow(tr("Token issued:"), m_issued);
    form->addRow(tr("Last refresh:"), m_lastRefresh);
    form->addRow(tr("Next refresh:"), m_nextRefresh);
    form->addRow(tr("Last error:"), m_lastError);

    m_copyHeaderButton = new QPushButton(tr("Copy header"));
    m_copyHeaderButton->setObjectName(QStringLiteral("copyHeaderButton"));
    m_copyHeaderButton->setAccessibleName(tr("Copy header"));
    m_copyHeaderButton->setAccessibleDescription(
        tr("Copies \"Authorization: Bearer\" with a fresh token; the clipboard is cleared later"));
    m_copyHeaderButton->setToolTip(tr("Copy \"Authorization: Bearer …\" (Ctrl+C in the list)"));
    m_copyHeaderButton->setIcon(QIcon::fromTheme(QStringLiteral("edit-copy")));
    // The primary action: larger and bold, first in the row.
    QFont primary = m_copyHeaderButton->font();
    primary.setBold(true);
    primary.setPointSizeF(primary.pointSizeF() * 1.15);
    m_copyHeaderButton->setFont(primary);
    m_copyHeaderButton->setMinimumHeight(m_copyHeaderButton->sizeHint().height() * 3 / 2);
    m_copyHeaderButton->setMinimumWidth(m_copyHeaderButton->sizeHint().width() * 3 / 2);

    m_copyTokenButton = new QPushButton(tr("Copy token"));
    m_copyTokenButton->setObjectName(QStringLiteral("copyTokenButton"));
    m_copyTokenButton->setAccessibleName(tr("Copy token"));
    m_copyTokenButton->setToolTip(tr("Copy the access token alone (Ctrl+Shift+C)"));
    m_refreshButton = new QPushButton(tr("Refresh now"));
    m_refreshButton->setObjectName(QStringLiteral("refreshButton"));
    m_refreshButton->setAccessibleName(tr("Refresh now"));
    m_refreshButton->setToolTip(tr("Renew the token now (F5)"));
    m_refreshButton->setIcon(QIcon::fromTheme(QStringLiteral("view-refresh")));
    connect(m_copyHeaderButton, &QPushButton::clicked, this, &MainWindow::copyHeader);
    m_inspectButton = new QPushButton(tr("Inspect…"));
    m_inspectButton->setObjectName(QStringLiteral("inspectButton"));
    m_inspectButton->setAccessibleName(tr("Inspect the token"));
    m_inspectButton->setToolTip(tr("What the token says: claims, scopes, times (Ctrl+I)"));
    m_inspectButton->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    connect(m_inspectButton, &QPushButton::clicked, this, &MainWindow::inspectToken);
    connect(m_copyTokenButton, &QPushButton::clicked, this, &MainWindow::copyToken);
    connect(m_refreshButton, &QPushButton::clicked, this, &MainWindow::refreshNow);

    // "Log in…" while there is no session, "Log out" while there is one.
    m_loginButton = new QPushButton(tr("Log in…"));
    m_loginButton->setObjectName(QStringLiteral("loginButton"));
    m_loginButton->setAccessibleName(tr("Log in"));
    m_loginButton->setToolTip(tr("Log in to this server (Ctrl+L)"));
    m_logoutButton = new QPushButton(tr("Log out"));
    m_logoutButton->setObjectName(QStringLiteral("logoutButton"));
    m_logoutButton->setAccessibleName(tr("Log out"));
    m_logoutButton->setToolTip(tr("End the session and forget its secrets"));
    m_editButton = new QPushButton(tr("Edit…"));
    m_editButton->setObjectName(QStringLiteral("editButton"));
    m_editButton->setAccessibleName(tr("Edit profile"));
    m_editButton->setIcon(QIcon::fromTheme(QStringLiteral("document-edit")));
    connect(m_loginButton, &QPushButton::clicked, this, &MainWindow::logIn);
    connect(m_logoutButton, &QPushButton::clicked, this, &MainWindow::logOut);
    connect(m_editButton, &QPushButton::clicked, this, &MainWindow::editProfile);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copyHeaderButton);
    buttons->addWidget(m_copyTokenButton, 0, Qt::AlignVCenter);
    buttons->addWidget(m_inspectButton, 0, Qt::AlignVCenter);
    buttons->addWidget(m_refreshButton, 0, Qt::AlignVCenter);
    buttons->addWidget(m_loginButton, 0, Qt::AlignVCenter);
    buttons->addWidget(m_logoutButton, 0, Qt::AlignVCenter);
    buttons->addWidget(m_editButton, 0, Qt::AlignVCenter);
    buttons->addStretch();

    m_tokenPage = new QWidget;
    QWidget *tokenPage = m_tokenPage;
    tokenPage->setObjectName(QStringLiteral("tokenPage"));
    auto *tokenLayout = new QVBoxLayout(tokenPage);
    tokenLayout->addLayout(form);
    tokenLayout->addSpacing(12);
    tokenLayout->addLayout(buttons);
    tokenLayout->addStretch();

    m_requestPane = new RequestPane(*m_runner, *m_requestTokens, *m_history, m_clipboard);
    connect(m_requestPane, &RequestPane::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, messageMs); });

    m_detailTabs = new QTabWidget;
    m_detailTabs->setObjectName(QStringLiteral("detailTabs"));
    m_detailTabs->setAccessibleName(tr("Token and request tester"));
    m_detailTabs->setDocumentMode(true);
    m_detailTabs->addTab(tokenPage, tr("Token"));
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
    splitter->addWidget(left);
    splitter->addWidget(m_detailStack);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);
    splitter->setSizes({340, 580}); // room for a name and its preset side by side

    // A banner (setBanner) goes above the splitter.
    auto *central = new QWidget;
    m_centralLayout = new QVBoxLayout(central);
    m_centralLayout->setContentsMargins(0, 0, 0, 0);
    m_centralLayout->addWidget(splitter, 1);
    setCentralWidget(central);

    m_clipboardStatus = new QLabel;
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

    m_addAction = new QAction(QIcon::fromTheme(QStringLiteral("list-add")), tr("&Add…"), this);
    m_addAction->setShortcut(QKeySequence::New);
    m_addAction->setShortcutContext(Qt::WindowShortcut);
    m_addAction->setToolTip(tr("Add a profile (Ctrl+N)"));
    connect(m_addAction, &QAction::triggered, this, &MainWindow::addProfile);
    addAction(m_addAction);

    m_duplicateAction =
        new QAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("D&uplicate…"), this);
    m_duplicateAction->setToolTip(tr("Add a copy of this profile"));
    connect(m_duplicateAction, &QAction::triggered, this, &MainWindow::duplicateProfile);

    m_editAction = new QAction(tr("&Edit…"), this);
    connect(m_editAction, &QAction::triggered, this, &MainWindow::editProfile);

    // Delete only while the list has focus: in the filter it deletes text.
    m_deleteAction =
        new QAction(QIcon::fromTheme(QStringLiteral("list-remove")), tr("&Delete…"), this);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setShortcutContext(Qt::WidgetShortcut);
    m_deleteAction->setToolTip(tr("Delete this profile and its secrets (Delete)"));
    connect(m_deleteAction, &QAction::triggered, this, &MainWindow::deleteProfile);
    m_list->addAction(m_deleteAction);

    m_loginAction = new QAction(tr("&Log in…"), this);
    m_loginAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_loginAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_loginAction, &QAction::triggered, this, &MainWindow::logIn);
    addAction(m_loginAction);

    m_logoutAction = new QAction(tr("Log &out"), this);
    connect(m_logoutAction, &QAction::triggered, this, &MainWindow::logOut);

    m_addButton->setDefaultAction(m_addAction);
    m_duplicateButton->setDefaultAction(m_duplicateAction);
    m_deleteButton->setDefaultAction(m_deleteAction);
    // The list's context menu: everything for the profile under it.
    auto *separator = new QAction(this);
    separator->setSeparator(true);
    m_list->insertActions(m_copyHeaderAction, {m_loginAction, m_logoutAction, separator});
    auto *separator2 = new QAction(this);
    separator2->setSeparator(true);
    m_list->insertActions(m_deleteAction,
                          {separator2, m_editAction, m_duplicateAction, m_addAction});

    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, qApp, &QApplication::closeAllWindows);

    m_settingsAction = new QAction(tr("&Settings…"), this);
    m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_settingsAction->setShortcutContext(Qt::WindowShortcut);
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::settingsRequested);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_settingsAction);
    file->addSeparator();
    file->addAction(quit);
    QMenu *profile = menuBar()->addMenu(tr("&Profile"));
    profile->addAction(m_addAction);
    profile->addAction(m_duplicateAction);
    profile->addAction(m_editAction);
    profile->addAction(m_deleteAction);
    profile->addSeparator();
    profile->addAction(m_loginAction);
    profile->addAction(m_logoutAction);
    profile->addSeparator();
    profile->addAction(m_copyHeaderAction);
    profile->addAction(m_copyTokenAction);
    profile->addAction(m_refreshAction);
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

void MainWindow::copy(const Profile &profile, Copy what)
{
    const quint64 serial = ++m_copySerial;
    statusBar()->showMessage(tr("Getting a token for %1…").arg(profile.name));
    // An almost expired token is renewed before it is copied. The answer may
    // take a while (a slow server, a keychain prompt): the window goes on.
    m_tokens.token(
        profile, copyMinValidSeconds, this,
        [this, serial, what, name = profile.name](const Result<TokenSet> &result) {
            if (serial != m_copySerial) {
                return; // the user asked for another copy since
            }
            if (!result) {
                const QString message =
                    tr("Could not copy a token for %1: %2").arg(name, result.error().message());
                statusBar()->showMessage(message);
                Q_EMIT copyFinished(name, false, message);
                return;
            }
            const QString &token = result->accessToken;
            m_clipboard->copy(what == Copy::Header
                                  ? QString(QStringLiteral("Authorization: Bearer ") + token)
                                  : token);
            const QString message = what == Copy::Header ? tr("Copied the header of %1.").arg(name)
                                                         : tr("Copied the token of %1.").arg(name);
            statusBar()->showMessage(message, messageMs);
            Q_EMIT copyFinished(name, true, message);
        });
}

void MainWindow::refreshNow()
{
    if (const auto profile = currentProfile()) {
        m_scheduler.refreshNow(profile->id);
        statusBar()->showMessage(tr("Refreshing %1…").arg(profile->name), messageMs);
    }
}

QStringList MainWindow::namesExcept(const QString &profileId) const
{
    QStringList names;
    for (const Profile &profile : m_scheduler.profiles()) {
        if (profile.id != profileId) {
            names.append(profile.name);
        }
    }
    return names;
}

void MainWindow::addProfile()
{
    Profile blank;
    // Most people add more of the same kind: start from the selected one's preset.
    if (const auto current = currentProfile()) {
        blank.preset = current->preset;
    }
    openEditor(ProfileEditor::Mode::Add, blank);
}

void MainWindow::duplicateProfile()
{
    const auto profile = currentProfile();
    if (!profile) {
        return;
    }
    Profile copy = *profile;
    copy.id.clear();
    const QStringList taken = namesExcept({});
    copy.name = tr("%1 (copy)").arg(profile->name);
    for (int n = 2; taken.contains(copy.name); ++n) {
        copy.name = tr("%1 (copy %2)").arg(profile->name).arg(n);
    }
    openEditor(ProfileEditor::Mode::Duplicate, copy);
}

void MainWindow::editProfile()
{
    if (const auto profile = currentProfile()) {
        openEditor(ProfileEditor::Mode::Edit, *profile);
    }
}

void MainWindow::openEditor(ProfileEditor::Mode mode, const Profile &profile)
{
    auto *editor = new ProfileEditor(
        mode, profile, m_presets,
        namesExcept(mode == ProfileEditor::Mode::Edit ? profile.id : QString()), &m_tokens, this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(
        editor, &ProfileEditor::saveRequested, this,
        [this, editor, before = profile](const Profile &after) { save(editor, before, after); });
    editor->open(); // window-modal, and the event loop goes on
}

void MainWindow::save(ProfileEditor *editor, const Profile &before, const Profile &after)
{
    const QPointer<ProfileEditor> guard(editor);
    if (editor->mode() != ProfileEditor::Mode::Edit) {
        auto added = m_agent.profileStore().add(after);
        if (!added) {
            editor->saveFailed(added.error().message());
            return;
        }
        m_agent.reloadProfiles();
        selectProfile(added->id);
        statusBar()->showMessage(tr("Added %1. Log in with Ctrl+L.").arg(added->name), messageMs);
        editor->saved();
        return;
    }
    const auto write = [this, guard, after] {
        if (auto updated = m_agent.profileStore().update(after); !updated) {
            if (guard) {
                guard->saveFailed(updated.error().message());
            }
            return;
        }
        m_agent.reloadProfiles();
        selectProfile(after.id);
        statusBar()->showMessage(tr("Saved %1.").arg(after.name), messageMs);
        if (guard) {
            guard->saved();
        }
    };
    if (ProfileValidator::sameAccount(before, after)) {
        write();
        return;
    }
    // The stored secrets belong to the old server or account: they go first,
    // so that no refresh token is ever sent to the new server.
    m_tokens.forget(before, this, [guard, write](const Result<void> &forgotten) {
        if (!forgotten) {
            if (guard) {
                guard->saveFailed(tr("Nothing was changed: the old secrets could not be removed "
                                     "from the keychain. %1")
                                      .arg(forgotten.error().message()));
            }
            return;
        }
        write();
    });
}

void MainWindow::deleteProfile()
{
    const auto profile = currentProfile();
    if (!profile) {
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete Profile"),
                                tr("Delete the profile \"%1\"?").arg(profile->name),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("deleteConfirmation"));
    box->setAccessibleName(tr("Delete profile?"));
    box->setInformativeText(tr("Its secrets are removed from the keychain as well."));
    QPushButton *remove = box->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("confirmDeleteButton"));
    remove->setAccessibleName(tr("Delete"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    cancel->setAccessibleName(tr("Cancel"));
    box->setDefaultButton(cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, remove, profile = *profile] {
        if (box->clickedButton() == remove) {
            removeProfile(profile);
        }
    });
    box->open();
}

void MainWindow::removeProfile(const Profile &profile)
{
    statusBar()->showMessage(tr("Deleting %1…").arg(profile.name));
    // The secrets first: a profile is never gone while its secrets stay behind.
    m_tokens.forget(profile, this, [this, profile](const Result<void> &forgotten) {
        if (!forgotten) {
            statusBar()->showMessage(tr("%1 was not deleted: its secrets could not be removed "
                                        "from the keychain. %2")
                                         .arg(profile.name, forgotten.error().message()));
            return;
        }
        if (auto removed = m_agent.profileStore().remove(profile.id); !removed) {
            statusBar()->showMessage(
                tr("Could not delete %1: %2").arg(profile.name, removed.error().message()));
            return;
        }
        m_agent.reloadProfiles();
        if (const auto forgot = m_history->forget(profile.id); !forgot) {
            qWarning("%s", qUtf8Printable(forgot.error().message()));
        }
        statusBar()->showMessage(tr("Deleted %1 and its secrets.").arg(profile.name), messageMs);
    });
}

void MainWindow::logIn()
{
    const auto profile = currentProfile();
    if (!profile) {
        return;
    }
    const Preset *preset = m_presets.find(profile->preset);
    if (!preset) {
        statusBar()->showMessage(tr("Cannot log in to %1: the preset \"%2\" is not installed.")
                                     .arg(profile->name, profile->preset),
                                 messageMs);
        return;
    }
    auto *dialog = new LoginDialog(*profile, *preset, m_tokens, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The login goes through the agent's own token service: the scheduler
    // hears of the new token by its signal and the list shows it valid.
    connect(dialog, &LoginDialog::loggedIn, this,
            [this, before = *profile](const Profile &used, const TokenSet &tokens) {
                if (used.rememberPassword != before.rememberPassword) {
                    // Only that flag: the file may have changed since the dialog opened.
                    if (auto stored = m_agent.profileStore().find(used.id)) {
                        Profile changed = stored.value();
                        changed.rememberPassword = used.rememberPassword;
                        if (m_agent.profileStore().update(changed)) {
                            m_agent.reloadProfiles();
                        }
                    }
                }
                statusBar()->showMessage(tr("Logged in to %1; the token is valid until %2.")
                                             .arg(used.name,
                                                  QLocale().toString(tokens.expiresAt.toLocalTime(),
                                                                     QLocale::ShortFormat)),
                                         messageMs);
            });
    dialog->open();
}

void MainWindow::logOut()
{
    const auto profile = currentProfile();
    if (!profile) {
        return;
    }
    statusBar()->showMessage(tr("Logging out of %1…").arg(profile->name));
    m_tokens.logout(*profile, this,
                    [this, name = profile->name](const Result<TokenService::LogoutOutcome> &out) {
                        if (!out) {
                            statusBar()->showMessage(
                                tr("Could not log out of %1: %2").arg(name, out.error().message()));
                            return;
                        }
                        QString message = out->serverSessionEnded
                            ? tr("Logged out of %1; the server session is ended.").arg(name)
                            : tr("Logged out of %1.").arg(name);
                        if (!out->warning.isEmpty()) {
                            message += u' ' + out->warning;
                        }
                        statusBar()->showMessage(message, messageMs);
                    });
}

void MainWindow::updateDetails()
{
    const int row = currentRow();
    if (row < 0) {
        m_placeholder->setText(m_model->rowCount() == 0
                                   ? tr("No profiles yet.\n\nAdd one with \"Add…\" (Ctrl+N).")
                                   : tr("Select a profile."));
        m_detailStack->setCurrentWidget(m_placeholder);
        for (QAction *action :
             {m_copyHeaderAction, m_copyTokenAction, m_refreshAction, m_duplicateAction,
              m_editAction, m_deleteAction, m_loginAction, m_logoutAction}) {
            action->setEnabled(false);
        }
        for (QPushButton *button : {m_copyHeaderButton, m_copyTokenButton, m_refreshButton}) {
            button->setEnabled(false);
        }
        return;
    }
    m_detailStack->setCurrentIndex(1);
    const Profile &profile = m_model->profileAt(row);
    const ProfileStatus &status = m_model->statusAt(row);
    const QModelIndex index = m_model->index(row);
    const QDateTime now = m_clock.now();
    const QLocale locale;
    const auto when = [&locale, &now](const QDateTime &time) -> QString {
        if (!time.isValid()) {
            return tr("—");
        }
        const qint64 seconds = now.secsTo(time);
        const QString relative = seconds >= 0
            ? tr("in %1").arg(ProfileListModel::formatDuration(seconds))
            : tr("%1 ago").arg(ProfileListModel::formatDuration(-seconds));
        return locale.toString(time.toLocalTime(), QLocale::ShortFormat) + QStringLiteral(" (")
            + relative + u')';
    };

    m_title->setText(profile.name);
    m_requestPane->setProfile(profile);
    m_status->setText(index.data(StatusTextRole).toString());
    m_server->setText(profile.baseUrl.toDisplayString());
    QStringList account;
    if (!profile.username.isEmpty()) {
        account.append(tr("user %1").arg(profile.username));
    }
    if (!profile.clientId.isEmpty()) {
        account.append(tr("client %1").arg(profile.clientId));
    }
    m_account->setText(account.isEmpty() ? tr("—") : account.join(QStringLiteral(", ")));
    m_preset->setText(index.data(PresetNameRole).toString());
    m_expiry->setText(when(status.validUntil));
    m_issued->setText(when(status.obtainedAt));
    m_lastRefresh->setText(when(status.lastRefresh));
    m_nextRefresh->setText(when(status.nextRefresh));
    // In the server's own words.
    const QString error = !status.reason.isEmpty()
        ? status.reason
        : (status.lastError ? status.lastError->message() : QString());
    m_lastError->setText(error.isEmpty() ? tr("none") : error);

    using State = ProfileStatus::State;
    const bool canCopy = status.state != State::LoggedOut && status.state != State::LoginRequired;
    const bool canRefresh = canCopy && status.state != State::Refreshing;
    m_copyHeaderAction->setEnabled(canCopy);
    m_copyTokenAction->setEnabled(canCopy);
    m_refreshAction->setEnabled(canRefresh);
    m_copyHeaderButton->setEnabled(canCopy);
    m_copyTokenButton->setEnabled(canCopy);
    m_inspectButton->setEnabled(canCopy);
    m_refreshButton->setEnabled(canRefresh);
    for (QAction *action : {m_duplicateAction, m_editAction, m_deleteAction, m_loginAction}) {
        action->setEnabled(true);
    }
    const bool session = status.state != State::LoggedOut;
    m_logoutAction->setEnabled(session);
    const bool needsLogin = !canCopy;
    m_loginButton->setVisible(needsLogin);
    m_logoutButton->setVisible(!needsLogin);
    m_logoutButton->setEnabled(session);
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
