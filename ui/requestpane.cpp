#include "requestpane.h"

#include "auth/tokenprovider.h"
#include "core/text.h"
#include "monospaceedit.h"
#include "request/curlcommand.h"
#include "request/historyrecorder.h"
#include "request/requesthistory.h"
#include "requesthistorylist.h"
#include "responseview.h"
#include "secretclipboard.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace tokenkeeper {

namespace {

constexpr int minValidForCopy = 60;

} // namespace

RequestPane::RequestPane(RequestRunner &runner, TokenProvider &tokens, RequestHistory &history,
                         std::function<SecretStore &()> secrets, SecretClipboard *clipboard,
                         QWidget *parent)
    : QWidget(parent)
    , m_runner(runner)
    , m_tokens(tokens)
    , m_history(history)
    , m_secrets(std::move(secrets))
    , m_clipboard(clipboard)
{
    buildUi();
    setBusy(false);
}

RequestPane::~RequestPane()
{
    delete m_inFlight;
}

void RequestPane::buildUi()
{
    setObjectName(QStringLiteral("requestPane"));
    setAccessibleName(tr("Request tester"));

    m_method = new QComboBox;
    m_method->setObjectName(QStringLiteral("requestMethod"));
    m_method->setAccessibleName(tr("Method"));
    m_method->setEditable(true);
    m_method->addItems({QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
                        QStringLiteral("PATCH"), QStringLiteral("DELETE"), QStringLiteral("HEAD"),
                        QStringLiteral("OPTIONS")});
    m_method->setInsertPolicy(QComboBox::NoInsert);
    m_method->lineEdit()->setAccessibleName(tr("Method"));
    m_method->view()->setAccessibleName(tr("Methods"));

    m_target = new QLineEdit;
    m_target->setObjectName(QStringLiteral("requestTarget"));
    m_target->setAccessibleName(tr("Path or URL"));
    m_target->setPlaceholderText(tr("/path on the profile's server, or a full URL"));
    m_target->setClearButtonEnabled(true);
    connect(m_target, &QLineEdit::textChanged, this, &RequestPane::updateTargetCheck);
    connect(m_target, &QLineEdit::returnPressed, this, &RequestPane::send);

    m_send = new QPushButton(tr("Send"));
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setAccessibleName(tr("Send the request"));
    m_send->setToolTip(tr("Send with the profile's token (Ctrl+Enter)"));
    m_send->setDefault(true);
    connect(m_send, &QPushButton::clicked, this, &RequestPane::send);
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(QStringLiteral("cancelRequestButton"));
    m_cancel->setAccessibleName(tr("Cancel the request"));
    connect(m_cancel, &QPushButton::clicked, this, &RequestPane::cancel);
    for (const auto key : {Qt::Key_Return, Qt::Key_Enter}) {
        auto *shortcut = new QShortcut(QKeySequence(Qt::CTRL | key), this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &RequestPane::send);
    }

    auto *line = new QHBoxLayout;
    line->addWidget(m_method);
    line->addWidget(m_target, 1);
    line->addWidget(m_send);
    line->addWidget(m_cancel);

    m_base = new QLabel;
    m_base->setObjectName(QStringLiteral("requestBase"));
    m_base->setAccessibleName(tr("Server of the profile"));
    m_base->setTextFormat(Qt::PlainText);
    m_base->setEnabled(false); // dimmed: a hint

    // Said before sending: the token would go to another host.
    m_otherHost = new QWidget;
    m_otherHost->setObjectName(QStringLiteral("otherHostWarning"));
    m_otherHostText = new QLabel;
    m_otherHostText->setObjectName(QStringLiteral("otherHostText"));
    m_otherHostText->setAccessibleName(tr("Warning: another host"));
    m_otherHostText->setWordWrap(true);
    m_otherHostText->setTextFormat(Qt::PlainText);
    m_otherHostConsent = new QCheckBox;
    m_otherHostConsent->setObjectName(QStringLiteral("otherHostConsent"));
    m_otherHostConsent->setAccessibleName(tr("Send the token to the other host"));
    connect(m_otherHostConsent, &QCheckBox::toggled, this, [this] { setBusy(busy()); });
    auto *otherHostLayout = new QVBoxLayout(m_otherHost);
    otherHostLayout->setContentsMargins(0, 0, 0, 0);
    otherHostLayout->addWidget(m_otherHostText);
    otherHostLayout->addWidget(m_otherHostConsent);
    m_otherHost->setStyleSheet(QStringLiteral("QLabel#otherHostText { color: #c62828; }"));
    m_otherHost->hide();

    m_inputError = new QLabel;
    m_inputError->setObjectName(QStringLiteral("requestInputError"));
    m_inputError->setAccessibleName(tr("What is wrong with the request"));
    m_inputError->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_inputError->setWordWrap(true);
    m_inputError->setTextFormat(Qt::PlainText);
    m_inputError->hide();

    // The request: headers, body, history.
    m_headers = monospaceEdit(QStringLiteral("requestHeaders"), tr("Request headers"), false);
    m_headers->setPlaceholderText(
        tr("Name: value, one a line. Authorization is added from the profile."));
    m_contentType = new QComboBox;
    m_contentType->setObjectName(QStringLiteral("requestContentType"));
    m_contentType->setAccessibleName(tr("Content type of the body"));
    m_contentType->setEditable(true);
    m_contentType->addItems({QStringLiteral("application/json"),
                             QStringLiteral("application/x-www-form-urlencoded"),
                             QStringLiteral("text/plain"), QStringLiteral("application/xml")});
    m_contentType->lineEdit()->setAccessibleName(tr("Content type of the body"));
    m_contentType->view()->setAccessibleName(tr("Content types"));
    m_body = monospaceEdit(QStringLiteral("requestBody"), tr("Request body"), false);
    m_body->setPlaceholderText(tr("No body"));
    auto *bodyPage = new QWidget;
    auto *bodyLayout = new QVBoxLayout(bodyPage);
    auto *typeForm = new QFormLayout;
    typeForm->addRow(tr("Content type:"), m_contentType);
    bodyLayout->addLayout(typeForm);
    bodyLayout->addWidget(m_body, 1);

    m_historyList = new RequestHistoryList(m_history);
    connect(m_historyList, &RequestHistoryList::requestChosen, this,
            [this](const ApiRequest &request) {
                loadRequest(request);
                m_requestTabs->setCurrentIndex(0);
            });

    m_requestTabs = new QTabWidget;
    m_requestTabs->setObjectName(QStringLiteral("requestTabs"));
    m_requestTabs->setAccessibleName(tr("Request"));
    m_requestTabs->addTab(m_headers, tr("Headers"));
    m_requestTabs->addTab(bodyPage, tr("Body"));
    m_requestTabs->addTab(m_historyList, tr("History"));

    // The answer.
    m_response = new ResponseView;
    connect(m_response, &ResponseView::message, this, &RequestPane::message);
    m_curl = new QToolButton;
    m_curl->setObjectName(QStringLiteral("copyCurlButton"));
    m_curl->setAccessibleName(tr("Copy as curl"));
    m_curl->setText(tr("Copy as curl"));
    m_curl->setToolTip(tr("A curl command that gets the header from `tokenkeeper header`, so it "
                          "holds no token"));
    m_curl->setPopupMode(QToolButton::MenuButtonPopup);
    connect(m_curl, &QToolButton::clicked, this, &RequestPane::copyAsCurl);
    auto *curlMenu = new QMenu(m_curl);
    QAction *plain = curlMenu->addAction(tr("Copy as curl"));
    plain->setObjectName(QStringLiteral("copyCurlAction"));
    connect(plain, &QAction::triggered, this, &RequestPane::copyAsCurl);
    QAction *literal = curlMenu->addAction(tr("Copy as curl with the token written out"));
    literal->setObjectName(QStringLiteral("copyCurlWithTokenAction"));
    literal->setToolTip(tr("The command then holds a secret; the clipboard is cleared later"));
    connect(literal, &QAction::triggered, this, &RequestPane::copyAsCurlWithToken);
    m_curl->setMenu(curlMenu);

    m_response->addToStatusLine(m_curl);

    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(line);
    topLayout->addWidget(m_base);
    topLayout->addWidget(m_otherHost);
    topLayout->addWidget(m_inputError);
    topLayout->addWidget(m_requestTabs, 1);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName(QStringLiteral("requestSplitter"));
    splitter->addWidget(top);
    splitter->addWidget(m_response);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
}

void RequestPane::setProfile(const Profile &profile)
{
    const bool other = !m_profile || m_profile->id != profile.id;
    m_profile = profile;
    m_base->setText(tr("Relative to %1").arg(profile.baseUrl.toDisplayString()));
    if (other) {
        cancel();
        m_response->clear();
        m_inputError->hide();
        m_historyList->showProfile(profile.id);
    }
    updateTargetCheck();
    setBusy(busy());
}

void RequestPane::loadRequest(const ApiRequest &request)
{
    const int method = m_method->findText(QString::fromLatin1(request.method));
    if (method >= 0) {
        m_method->setCurrentIndex(method);
    } else {
        m_method->setEditText(QString::fromLatin1(request.method));
    }
    m_target->setText(request.target);
    QStringList lines;
    for (const auto &[name, value] : request.headers) {
        lines << name + QStringLiteral(": ") + value;
    }
    m_headers->setPlainText(lines.join(u'\n'));
    m_body->setPlainText(QString::fromUtf8(request.body));
    if (!request.contentType.isEmpty()) {
        m_contentType->setEditText(request.contentType);
    }
}

void RequestPane::focusTarget()
{
    m_target->setFocus(Qt::ShortcutFocusReason);
    m_target->selectAll();
}

Result<ApiRequest> RequestPane::typedRequest() const
{
    ApiRequest request;
    request.method = m_method->currentText().trimmed().toUpper().toLatin1();
    if (const QString why = checkMethod(request.method); !why.isEmpty()) {
        return Error(Error::Kind::Usage, why);
    }
    request.target = m_target->text().trimmed();
    if (request.target.isEmpty()) {
        return Error(Error::Kind::Usage, tr("Enter a path (such as /api/...) or a URL."));
    }
    const QStringList lines = m_headers->toPlainText().split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines.at(i).trimmed().isEmpty()) {
            continue;
        }
        const auto header = parseHeaderLine(lines.at(i));
        const QString why =
            header ? checkHeader(header->first, header->second) : tr("write \"Name: value\"");
        if (!why.isEmpty()) {
            return Error(Error::Kind::Usage, tr("Header line %1: %2").arg(i + 1).arg(why));
        }
        request.headers.append(*header);
    }
    request.body = m_body->toPlainText().toUtf8();
    if (!request.body.isEmpty()) {
        request.contentType = m_contentType->currentText().trimmed();
    }
    return request;
}

void RequestPane::updateTargetCheck()
{
    bool offServer = false;
    if (m_profile) {
        const Result<QUrl> url = resolveTarget(m_profile->baseUrl, m_target->text());
        if (url && !sameServer(m_profile->baseUrl, *url)) {
            offServer = true;
            const QString host = hostAndPort(*url);
            m_otherHostText->setText(
                tr("%1 is not this profile's server (%2): sending would give it the token.")
                    .arg(host, m_profile->baseUrl.host()));
            m_otherHostConsent->setText(tr("Send the token to %1").arg(host));
        }
    }
    if (!offServer) {
        m_otherHostConsent->setChecked(false);
    }
    m_otherHost->setVisible(offServer);
    setBusy(busy());
}

void RequestPane::setBusy(bool isBusy)
{
    const bool consentNeeded = m_otherHost->isVisibleTo(this) && !m_otherHostConsent->isChecked();
    m_send->setEnabled(m_profile && !isBusy && !consentNeeded);
    m_cancel->setEnabled(isBusy);
    m_response->setBusy(isBusy);
    m_curl->setEnabled(m_profile.has_value());
}

void RequestPane::send()
{
    if (!m_profile || busy()) {
        return;
    }
    const Result<ApiRequest> request = typedRequest();
    if (!request) {
        m_inputError->setText(request.error().message());
        m_inputError->show();
        return;
    }
    m_inputError->hide();
    if (m_otherHost->isVisibleTo(this) && !m_otherHostConsent->isChecked()) {
        return;
    }
    m_response->showSending();
    m_inFlight = new QObject(this);
    setBusy(true);
    const Profile profile = *m_profile;
    const ApiRequest sent = *request;
    m_runner.send(
        profile, sent, m_inFlight, [this](const RequestStep &step) { m_response->addStep(step); },
        [this, profile, sent](RequestOutcome outcome) {
            // Not deleted here: this runs inside one of its connections.
            m_inFlight->deleteLater();
            m_inFlight = nullptr;
            recordRequest(m_history, m_secrets(), profile, sent, outcome, this,
                          [this, profileId = profile.id](const Result<void> &kept) {
                              if (!kept) {
                                  Q_EMIT message(kept.error().message());
                              }
                              if (m_profile && m_profile->id == profileId) {
                                  m_historyList->showProfile(profileId);
                              }
                          });
            m_response->showOutcome(outcome);
            setBusy(false);
            Q_EMIT requestFinished(outcome);
        });
}

void RequestPane::showHistoryAgain()
{
    if (m_profile) {
        m_historyList->showProfile(m_profile->id);
    }
}

void RequestPane::cancel()
{
    if (!busy()) {
        return;
    }
    delete m_inFlight;
    m_response->showCancelled();
    setBusy(false);
}

std::optional<std::pair<ApiRequest, QUrl>> RequestPane::typedRequestAndUrl()
{
    if (!m_profile) {
        return std::nullopt;
    }
    const Result<ApiRequest> request = typedRequest();
    const Result<QUrl> url = request ? resolveTarget(m_profile->baseUrl, request->target)
                                     : Result<QUrl>(request.error());
    if (!url) {
        m_inputError->setText(url.error().message());
        m_inputError->show();
        return std::nullopt;
    }
    m_inputError->hide();
    return std::pair {*request, *url};
}

void RequestPane::copyAsCurl()
{
    if (const auto typed = typedRequestAndUrl()) {
        QApplication::clipboard()->setText(
            curlCommand(m_profile->name, typed->first, typed->second));
        Q_EMIT message(tr("Copied a curl command that gets its header from tokenkeeper."));
    }
}

void RequestPane::copyAsCurlWithToken()
{
    const auto typed = typedRequestAndUrl();
    if (!typed || !m_clipboard) {
        return;
    }
    m_tokens.token(*m_profile, minValidForCopy, this,
                   [this, name = m_profile->name, typed = *typed](Result<TokenSet> tokens) {
                       if (!tokens) {
                           Q_EMIT message(tr("Nothing copied: %1").arg(tokens.error().message()));
                           return;
                       }
                       m_clipboard->copy(
                           curlCommand(name, typed.first, typed.second, tokens->accessToken));
                       Q_EMIT message(tr("Copied a curl command with the token in it; the "
                                         "clipboard will be cleared."));
                   });
}

void RequestPane::saveBody()
{
    m_response->saveBody();
}

bool RequestPane::saveBodyTo(const QString &path)
{
    return m_response->saveBodyTo(path);
}

const std::optional<RequestOutcome> &RequestPane::lastOutcome() const
{
    return m_response->outcome();
}

} // namespace tokenkeeper
