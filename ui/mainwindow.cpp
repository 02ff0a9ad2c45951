#include "mainwindow.h"

#include "auth/presetregistry.h"
#include "auth/tokensource.h"
#include "core/clock.h"
#include "models/itemroles.h"
#include "models/profilelistmodel.h"
#include "profiledelegate.h"
#include "scheduler/refreshscheduler.h"
#include "secretclipboard.h"

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
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace tokenkeeper {

namespace {

constexpr int messageMs = 8000;

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

MainWindow::MainWindow(RefreshScheduler &scheduler, TokenSource &tokens,
                       const PresetRegistry &presets, const Clock &clock,
                       SecretClipboard *clipboard, QWidget *parent)
    : QMainWindow(parent)
    , m_scheduler(scheduler)
    , m_tokens(tokens)
    , m_clock(clock)
    , m_clipboard(clipboard)
    , m_model(new ProfileListModel(&scheduler, presets, clock, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_tick(new QTimer(this))
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

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_list);

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
    connect(m_copyTokenButton, &QPushButton::clicked, this, &MainWindow::copyToken);
    connect(m_refreshButton, &QPushButton::clicked, this, &MainWindow::refreshNow);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copyHeaderButton);
    buttons->addWidget(m_copyTokenButton, 0, Qt::AlignBottom);
    buttons->addWidget(m_refreshButton, 0, Qt::AlignBottom);
    buttons->addStretch();

    auto *details = new QWidget;
    auto *detailLayout = new QVBoxLayout(details);
    detailLayout->addWidget(m_title);
    detailLayout->addLayout(form);
    detailLayout->addSpacing(12);
    detailLayout->addLayout(buttons);
    detailLayout->addStretch();

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
    setCentralWidget(splitter);

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

    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, qApp, &QApplication::closeAllWindows);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(quit);
    QMenu *profile = menuBar()->addMenu(tr("&Profile"));
    profile->addAction(m_copyHeaderAction);
    profile->addAction(m_copyTokenAction);
    profile->addAction(m_refreshAction);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_filterAction);
    menuBar()->setAccessibleName(tr("Menu bar"));
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
    copy(Copy::Header);
}

void MainWindow::copyToken()
{
    copy(Copy::Token);
}

void MainWindow::copy(Copy what)
{
    const auto profile = currentProfile();
    if (!profile) {
        return;
    }
    const quint64 serial = ++m_copySerial;
    statusBar()->showMessage(tr("Getting a token for %1…").arg(profile->name));
    // An almost expired token is renewed before it is copied. The answer may
    // take a while (a slow server, a keychain prompt): the window goes on.
    m_tokens.token(
        *profile, copyMinValidSeconds, this,
        [this, serial, what, name = profile->name](const Result<TokenSet> &result) {
            if (serial != m_copySerial) {
                return; // the user asked for another copy since
            }
            if (!result) {
                statusBar()->showMessage(
                    tr("Could not copy a token for %1: %2").arg(name, result.error().message()));
                return;
            }
            const QString &token = result->accessToken;
            m_clipboard->copy(what == Copy::Header
                                  ? QString(QStringLiteral("Authorization: Bearer ") + token)
                                  : token);
            statusBar()->showMessage(what == Copy::Header ? tr("Copied the header of %1.").arg(name)
                                                          : tr("Copied the token of %1.").arg(name),
                                     messageMs);
        });
}

void MainWindow::refreshNow()
{
    if (const auto profile = currentProfile()) {
        m_scheduler.refreshNow(profile->id);
        statusBar()->showMessage(tr("Refreshing %1…").arg(profile->name), messageMs);
    }
}

void MainWindow::updateDetails()
{
    const int row = currentRow();
    if (row < 0) {
        m_placeholder->setText(m_model->rowCount() == 0
                                   ? tr("No profiles yet.\n\nAdd one with\n"
                                        "tokenkeeper profile add NAME --preset P --url URL")
                                   : tr("Select a profile."));
        m_detailStack->setCurrentWidget(m_placeholder);
        for (QAction *action : {m_copyHeaderAction, m_copyTokenAction, m_refreshAction}) {
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
    m_refreshButton->setEnabled(canRefresh);
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
