#include "requesthistorylist.h"

#include "request/requesthistory.h"

#include <QLocale>

namespace tokenkeeper {

RequestHistoryList::RequestHistoryList(RequestHistory &history, QWidget *parent)
    : QListWidget(parent)
    , m_history(history)
{
    setObjectName(QStringLiteral("requestHistory"));
    setAccessibleName(tr("Last requests of this profile"));
    connect(this, &QListWidget::itemActivated, this, &RequestHistoryList::choose);
    connect(this, &QListWidget::itemClicked, this, &QListWidget::itemActivated);
}

void RequestHistoryList::showProfile(const QString &profileId)
{
    m_profileId = profileId;
    clear();
    const QList<HistoryEntry> entries = m_history.entries(profileId);
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
        addItem(item);
    }
}

void RequestHistoryList::choose(const QListWidgetItem *item)
{
    const auto entries = m_history.entries(m_profileId);
    const int index = item->data(Qt::UserRole).toInt();
    if (index >= 0 && index < entries.size()) {
        Q_EMIT requestChosen(entries.at(index).request);
    }
}

} // namespace tokenkeeper
