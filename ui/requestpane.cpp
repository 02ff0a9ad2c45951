#include "requestpane.h"

#include "request/bodypreview.h"
#include "request/curlcommand.h"
#include "request/requesthistory.h"
#include "request/tokenprovider.h"
#include "secretclipboard.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace tokenkeeper {

namespace {

constexpr int minValidForCopy = 60;

QString stepMark(RequestStep::Kind kind)
{
    switch (kind) {
    case RequestStep::Kind::Token:
        return QStringLiteral("🔑");
    case RequestStep::Kind::Sent:
        return QStringLiteral("→");
    case RequestStep::Kind::Answered:
        return QStringLiteral("←");
    case RequestStep::Kind::Rejected:
        return QStringLiteral("⚠");
    case RequestStep::Kind::Renewed:
        return QStringLiteral("↻");
    case RequestStep::Kind::Failed:
        return QStringLiteral("✕");
    }
    return {};
}

QPlainTextEdit *monospaceEdit(const QString &objectName, const QString &accessibleName,
                              bool readOnly)
{
    auto *edit = new QPlainTextEdit;
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    edit->setReadOnly(readOnly);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(readOnly ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
    edit->setTabChangesFocus(true);
    return edit;
}

} // namespace

RequestPane::RequestPane(RequestRunner &runner, TokenProvider &tokens, RequestHistory &history,
                         SecretClipboard *clipboard, QWidget *parent)
    : QWidget(parent)
    , m_runner(runner)
    , m_tokens(tokens)
    , m_history(history)
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

    m_historyList = new QListWidget;
    m_historyList->setObjectName(QStringLiteral("requestHistory"));
    m_historyList->setAccessibleName(tr("Last requests of this profile"));
    connect(m_historyList, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        if (!m_profile) {
            return;
        }
        const auto entries = m_history.entries(m_profile->id);
        const int index = item->data(Qt::UserRole).toInt();
        if (index >= 0 && index < entries.size()) {
            loadRequest(entries.at(index).request);
            m_requestTabs->setCurrentIndex(0);
        }
    });
    connect(m_historyList, &QListWidget::itemClicked, m_historyList, &QListWidget::itemActivated);

    m_requestTabs = new QTabWidget;
    m_requestTabs->setObjectName(QStringLiteral("requestTabs"));
    m_requestTabs->setAccessibleName(tr("Request"));
    m_requestTabs->addTab(m_headers, tr("Headers"));
    m_requestTabs->addTab(bodyPage, tr("Body"));
    m_requestTabs->addTab(m_historyList, tr("History"));

    // The answer.
    m_status = new QLabel(tr("No request sent yet."));
    m_status->setObjectName(QStringLiteral("responseStatus"));
    m_status->setAccessibleName(tr("Status of the answer"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_status->font();
    bold.setBold(true);
    m_status->setFont(bold);

    m_responseBody = monospaceEdit(QStringLiteral("responseBody"), tr("Body of the answer"), true);
    m_raw = new QCheckBox(tr("Raw"));
    m_raw->setObjectName(QStringLiteral("responseRaw"));
    m_raw->setAccessibleName(tr("Show the body as received"));
    connect(m_raw, &QCheckBox::toggled, this, &RequestPane::showBody);
    m_partial = new QLabel;
    m_partial->setObjectName(QStringLiteral("responsePartial"));
    m_partial->setAccessibleName(tr("Part of the body shown"));
    m_partial->setTextFormat(Qt::PlainText);
    m_partial->setWordWrap(true);
    m_partial->hide();
    auto *responseBodyPage = new QWidget;
    auto *responseBodyLayout = new QVBoxLayout(responseBodyPage);
    responseBodyLayout->addWidget(m_partial);
    responseBodyLayout->addWidget(m_responseBody, 1);
    responseBodyLayout->addWidget(m_raw);

    m_responseHeaders =
        monospaceEdit(QStringLiteral("responseHeaders"), tr("Headers of the answer"), true);
    m_timeline = new QListWidget;
    m_timeline->setObjectName(QStringLiteral("requestTimeline"));
    m_timeline->setAccessibleName(tr("What happened"));
    m_timeline->setWordWrap(true);

    m_responseTabs = new QTabWidget;
    m_responseTabs->setObjectName(QStringLiteral("responseTabs"));
    m_responseTabs->setAccessibleName(tr("Answer"));
    m_responseTabs->addTab(responseBodyPage, tr("Body"));
    m_responseTabs->addTab(m_responseHeaders, tr("Headers"));
    m_responseTabs->addTab(m_timeline, tr("Timeline"));

    m_save = new QPushButton(tr("Save body…"));
    m_save->setObjectName(QStringLiteral("saveBodyButton"));
    m_save->setAccessibleName(tr("Save the body of the answer to a file"));
    connect(m_save, &QPushButton::clicked, this, &RequestPane::saveBody);
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

    auto *answerButtons = new QHBoxLayout;
    answerButtons->addWidget(m_status, 1);
    answerButtons->addWidget(m_save);
    answerButtons->addWidget(m_curl);

    auto *top = new QWidget;
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(line);
    topLayout->addWidget(m_base);
    topLayout->addWidget(m_otherHost);
    topLayout->addWidget(m_inputError);
    topLayout->addWidget(m_requestTabs, 1);

    auto *bottom = new QWidget;
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addLayout(answerButtons);
    bottomLayout->addWidget(m_responseTabs, 1);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->setObjectName(QStringLiteral("requestSplitter"));
    splitter->addWidget(top);
    splitter->addWidget(bottom);
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
        m_outcome.reset();
        m_status->setText(tr("No request sent yet."));
        m_responseBody->clear();
        m_responseHeaders->clear();
        m_timeline->clear();
        m_partial->hide();
        m_inputError->hide();
        reloadHistory();
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
            const QString host =
                url->host() + (url->port() > 0 ? u':' + QString::number(url->port()) : QString());
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
    m_save->setEnabled(!isBusy && m_outcome && m_outcome->response);
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
    m_timeline->clear();
    m_status->setText(tr("Sending…"));
    m_responseTabs->setCurrentWidget(m_timeline);
    m_inFlight = new QObject(this);
    setBusy(true);
    const Profile profile = *m_profile;
    const ApiRequest sent = *request;
    m_runner.send(
        profile, sent, m_inFlight, [this](const RequestStep &step) { addStep(step); },
        [this, profile, sent](RequestOutcome outcome) {
            // Not deleted here: this runs inside one of its connections.
            m_inFlight->deleteLater();
            m_inFlight = nullptr;
            HistoryEntry entry;
            entry.request = sent;
            entry.sentAt = outcome.timeline.isEmpty() ? QDateTime::currentDateTimeUtc()
                                                      : outcome.timeline.constFirst().at;
            entry.status = outcome.response ? outcome.response->status : 0;
            entry.elapsedMs = outcome.elapsedMs;
            entry.retried = outcome.retried;
            if (const auto saved = m_history.add(profile.id, entry, outcome.tokensSent); !saved) {
                Q_EMIT message(saved.error().message());
            }
            if (m_profile && m_profile->id == profile.id) {
                reloadHistory();
            }
            showOutcome(outcome);
            setBusy(false);
            Q_EMIT requestFinished(outcome);
        });
}

void RequestPane::cancel()
{
    if (!busy()) {
        return;
    }
    delete m_inFlight;
    m_status->setText(tr("Cancelled."));
    setBusy(false);
}

void RequestPane::addStep(const RequestStep &step)
{
    auto *item = new QListWidgetItem(
        QStringLiteral("%1  %2  %3")
            .arg(QLocale().toString(step.at.toLocalTime().time(), QStringLiteral("HH:mm:ss.zzz")),
                 stepMark(step.kind), step.text));
    if (step.kind == RequestStep::Kind::Rejected || step.kind == RequestStep::Kind::Failed) {
        QFont font = item->font();
        font.setBold(true);
        item->setFont(font);
    }
    m_timeline->addItem(item);
}

void RequestPane::showOutcome(const RequestOutcome &outcome)
{
    m_outcome = outcome;
    m_outcome->tokensSent.clear(); // not kept beyond the history's redaction
    if (!outcome.response) {
        m_status->setText(outcome.error ? outcome.error->message() : tr("The request failed."));
        m_responseBody->clear();
        m_responseHeaders->clear();
        m_partial->hide();
        m_responseTabs->setCurrentWidget(m_timeline);
        return;
    }
    // An answer, then a failure (a 401 whose renewal failed): the failure is
    // the news; the answer stays to be read.
    const HttpResponse &response = *outcome.response;
    QStringList parts {RequestRunner::statusText(response.status),
                       tr("%1 ms").arg(outcome.elapsedMs),
                       QLocale().formattedDataSize(response.body.size())};
    if (outcome.retried) {
        parts << tr("after renewing the token");
    }
    QString status = parts.join(QStringLiteral(" · "));
    if (!outcome.reason.isEmpty()) {
        status += u'\n' + outcome.reason;
    }
    if (outcome.error) {
        status += u'\n' + outcome.error->message();
    }
    m_status->setText(status);
    QString headers;
    for (const auto &[name, value] : response.headers) {
        headers +=
            QString::fromLatin1(name) + QStringLiteral(": ") + QString::fromUtf8(value) + u'\n';
    }
    m_responseHeaders->setPlainText(headers);
    showBody();
    m_responseTabs->setCurrentIndex(outcome.retried || outcome.error ? 2 : 0);
}

void RequestPane::showBody()
{
    if (!m_outcome || !m_outcome->response) {
        return;
    }
    const HttpResponse &response = *m_outcome->response;
    const BodyPreview preview = BodyPreview::of(response, !m_raw->isChecked());
    m_responseBody->setPlainText(preview.text);
    if (preview.partial || response.bodyCut) {
        m_partial->setText(tr("Showing the start of %1%2. Save the body to keep all of it.")
                               .arg(QLocale().formattedDataSize(response.body.size()),
                                    response.bodyCut
                                        ? tr(" (the answer was longer; it was cut there)")
                                        : QString()));
        m_partial->show();
    } else {
        m_partial->hide();
    }
}

void RequestPane::reloadHistory()
{
    m_historyList->clear();
    if (!m_profile) {
        return;
    }
    const QList<HistoryEntry> entries = m_history.entries(m_profile->id);
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const HistoryEntry &entry = entries.at(i);
        const QString status = entry.status == 0 ? tr("no answer") : QString::number(entry.status);
        auto *item = new QListWidgetItem(
            QStringLiteral("%1  %2 %3   %4%5")
                .arg(status, QString::fromLatin1(entry.request.method), entry.request.target,
                     QLocale().toString(entry.sentAt.toLocalTime(), QLocale::ShortFormat),
                     (entry.retried ? tr(" · token renewed") : QString())
                         + (entry.bodyDropped ? tr(" · body not kept") : QString())));
        item->setData(Qt::UserRole, int(i));
        m_historyList->addItem(item);
    }
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
    if (!m_outcome || !m_outcome->response) {
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the body of the answer"));
    if (!path.isEmpty()) {
        saveBodyTo(path);
    }
}

bool RequestPane::saveBodyTo(const QString &path)
{
    if (!m_outcome || !m_outcome->response) {
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_outcome->response->body) < 0
        || !file.commit()) {
        Q_EMIT message(tr("Could not save %1: %2").arg(path, file.errorString()));
        return false;
    }
    Q_EMIT message(tr("Saved %1 to %2.")
                       .arg(QLocale().formattedDataSize(m_outcome->response->body.size()), path));
    return true;
}

} // namespace tokenkeeper
