#include "responseview.h"

#include "monospaceedit.h"
#include "request/bodypreview.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTabWidget>
#include <QVBoxLayout>

namespace tokenkeeper {

namespace {

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

} // namespace

ResponseView::ResponseView(QWidget *parent)
    : QWidget(parent)
    , m_status(new QLabel(tr("No request sent yet.")))
    , m_statusLine(new QHBoxLayout)
    , m_tabs(new QTabWidget)
    , m_body(monospaceEdit(QStringLiteral("responseBody"), tr("Body of the answer"), true))
    , m_raw(new QCheckBox(tr("Raw")))
    , m_partial(new QLabel)
    , m_headers(monospaceEdit(QStringLiteral("responseHeaders"), tr("Headers of the answer"), true))
    , m_timeline(new QListWidget)
    , m_save(new QPushButton(tr("Save body…")))
{
    setObjectName(QStringLiteral("responseView"));

    m_status->setObjectName(QStringLiteral("responseStatus"));
    m_status->setAccessibleName(tr("Status of the answer"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_status->font();
    bold.setBold(true);
    m_status->setFont(bold);

    m_raw->setObjectName(QStringLiteral("responseRaw"));
    m_raw->setAccessibleName(tr("Show the body as received"));
    connect(m_raw, &QCheckBox::toggled, this, &ResponseView::showBody);
    m_partial->setObjectName(QStringLiteral("responsePartial"));
    m_partial->setAccessibleName(tr("Part of the body shown"));
    m_partial->setTextFormat(Qt::PlainText);
    m_partial->setWordWrap(true);
    m_partial->hide();
    auto *bodyPage = new QWidget;
    auto *bodyLayout = new QVBoxLayout(bodyPage);
    bodyLayout->addWidget(m_partial);
    bodyLayout->addWidget(m_body, 1);
    bodyLayout->addWidget(m_raw);

    m_timeline->setObjectName(QStringLiteral("requestTimeline"));
    m_timeline->setAccessibleName(tr("What happened"));
    m_timeline->setWordWrap(true);

    m_tabs->setObjectName(QStringLiteral("responseTabs"));
    m_tabs->setAccessibleName(tr("Answer"));
    m_tabs->addTab(bodyPage, tr("Body"));
    m_tabs->addTab(m_headers, tr("Headers"));
    m_tabs->addTab(m_timeline, tr("Timeline"));

    m_save->setObjectName(QStringLiteral("saveBodyButton"));
    m_save->setAccessibleName(tr("Save the body of the answer to a file"));
    m_save->setEnabled(false);
    connect(m_save, &QPushButton::clicked, this, &ResponseView::saveBody);

    m_statusLine->addWidget(m_status, 1);
    m_statusLine->addWidget(m_save);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_statusLine);
    layout->addWidget(m_tabs, 1);
}

void ResponseView::addToStatusLine(QWidget *widget)
{
    m_statusLine->addWidget(widget);
}

void ResponseView::clear()
{
    m_outcome.reset();
    m_status->setText(tr("No request sent yet."));
    m_body->clear();
    m_headers->clear();
    m_timeline->clear();
    m_partial->hide();
}

void ResponseView::showSending()
{
    m_timeline->clear();
    m_status->setText(tr("Sending…"));
    m_tabs->setCurrentWidget(m_timeline);
}

void ResponseView::showCancelled()
{
    m_status->setText(tr("Cancelled."));
}

void ResponseView::setBusy(bool busy)
{
    m_save->setEnabled(!busy && m_outcome && m_outcome->response);
}

void ResponseView::addStep(const RequestStep &step)
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

void ResponseView::showOutcome(const RequestOutcome &outcome)
{
    m_outcome = outcome;
    m_outcome->tokensSent.clear(); // not kept beyond the history's redaction
    if (!outcome.response) {
        m_status->setText(outcome.error ? outcome.error->message() : tr("The request failed."));
        m_body->clear();
        m_headers->clear();
        m_partial->hide();
        m_tabs->setCurrentWidget(m_timeline);
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
    m_headers->setPlainText(headers);
    showBody();
    m_tabs->setCurrentIndex(outcome.retried || outcome.error ? 2 : 0);
}

void ResponseView::showBody()
{
    if (!m_outcome || !m_outcome->response) {
        return;
    }
    const HttpResponse &response = *m_outcome->response;
    const BodyPreview preview = BodyPreview::of(response, !m_raw->isChecked());
    m_body->setPlainText(preview.text);
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

void ResponseView::saveBody()
{
    if (!m_outcome || !m_outcome->response) {
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Save the body of the answer"));
    if (!path.isEmpty()) {
        saveBodyTo(path);
    }
}

bool ResponseView::saveBodyTo(const QString &path)
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
