#include "requesthistory.h"

#include "core/text.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

namespace tokenkeeper {

namespace {

constexpr int fileVersion = 1;
constexpr qint64 maxFileBytes = 32 * 1024 * 1024;

ApiRequest scrubbed(ApiRequest request, const QStringList &secrets)
{
    request.target = redacted(request.target, secrets);
    request.headers.removeIf([](const auto &header) {
        return header.first.compare(u"Authorization", Qt::CaseInsensitive) == 0;
    });
    for (auto &header : request.headers) {
        header.second = redacted(header.second, secrets);
    }
    if (request.body.size() > RequestHistory::maxBodyBytes) {
        request.body.clear(); // HistoryEntry::bodyDropped says so
    } else if (!request.body.isEmpty()) {
        request.body = redacted(QString::fromUtf8(request.body), secrets).toUtf8();
    }
    return request;
}

} // namespace

QJsonObject HistoryEntry::toJson() const
{
    return {
        {QStringLiteral("request"), request.toJson()},
        {QStringLiteral("sent_at"), sentAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("status"), status},
        {QStringLiteral("elapsed_ms"), elapsedMs},
        {QStringLiteral("retried"), retried},
        {QStringLiteral("body_dropped"), bodyDropped},
    };
}

std::optional<HistoryEntry> HistoryEntry::fromJson(const QJsonObject &json)
{
    const auto request = ApiRequest::fromJson(json.value(QStringLiteral("request")).toObject());
    if (!request) {
        return std::nullopt;
    }
    HistoryEntry entry;
    entry.request = *request;
    entry.sentAt =
        QDateTime::fromString(json.value(QStringLiteral("sent_at")).toString(), Qt::ISODateWithMs);
    entry.status = json.value(QStringLiteral("status")).toInt();
    entry.elapsedMs = json.value(QStringLiteral("elapsed_ms")).toInteger();
    entry.retried = json.value(QStringLiteral("retried")).toBool();
    entry.bodyDropped = json.value(QStringLiteral("body_dropped")).toBool();
    return entry;
}

RequestHistory::RequestHistory(QString path)
    : m_path(std::move(path))
{ }

QString RequestHistory::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
        + QStringLiteral("/tokenkeeper/history.json");
}

Result<void> RequestHistory::load()
{
    m_entries.clear();
    QFile file(m_path);
    if (!file.exists()) {
        return {};
    }
    const auto setAside = [this](const QString &why) -> Result<void> {
        const QString aside = m_path + QStringLiteral(".unreadable");
        QFile::remove(aside);
        QFile::rename(m_path, aside);
        return Error(Error::Kind::Storage,
                     QStringLiteral("The request history could not be read (%1); it was moved to "
                                    "%2 and a new one begun.")
                         .arg(why, aside));
    };
    if (file.size() > maxFileBytes) {
        return setAside(QStringLiteral("it is larger than %1 MiB").arg(maxFileBytes >> 20));
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return Error(Error::Kind::Storage,
                     QStringLiteral("The request history %1 cannot be read: %2")
                         .arg(m_path, file.errorString()));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    file.close();
    if (!document.isObject()) {
        return setAside(parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                     : QStringLiteral("not JSON"));
    }
    const QJsonObject profiles = document.object().value(QStringLiteral("profiles")).toObject();
    for (auto it = profiles.constBegin(); it != profiles.constEnd(); ++it) {
        QList<HistoryEntry> entries;
        for (const QJsonValue &value : it.value().toArray()) {
            if (const auto entry = HistoryEntry::fromJson(value.toObject());
                entry && entries.size() < perProfile) {
                entries.append(*entry);
            }
        }
        if (!entries.isEmpty()) {
            m_entries.insert(it.key(), entries);
        }
    }
    return {};
}

Result<void> RequestHistory::add(const QString &profileId, HistoryEntry entry,
                                 const QStringList &secrets)
{
    const bool hadBody = !entry.request.body.isEmpty();
    entry.request = scrubbed(entry.request, secrets);
    entry.bodyDropped = entry.bodyDropped || (hadBody && entry.request.body.isEmpty());
    QList<HistoryEntry> &entries = m_entries[profileId];
    entries.prepend(entry);
    while (entries.size() > perProfile) {
        entries.removeLast();
    }
    dropOldestBodies();
    return save();
}

void RequestHistory::dropOldestBodies()
{
    qint64 kept = 0;
    QList<HistoryEntry *> withBody;
    for (QList<HistoryEntry> &entries : m_entries) {
        for (HistoryEntry &entry : entries) {
            if (!entry.request.body.isEmpty()) {
                kept += entry.request.body.size();
                withBody.append(&entry);
            }
        }
    }
    if (kept <= maxKeptBodyBytes) {
        return;
    }
    std::sort(withBody.begin(), withBody.end(),
              [](const HistoryEntry *a, const HistoryEntry *b) { return a->sentAt < b->sentAt; });
    for (HistoryEntry *entry : std::as_const(withBody)) {
        if (kept <= maxKeptBodyBytes) {
            break;
        }
        kept -= entry->request.body.size();
        entry->request.body.clear();
        entry->bodyDropped = true;
    }
}

Result<void> RequestHistory::forget(const QString &profileId)
{
    if (m_entries.remove(profileId) == 0) {
        return {};
    }
    return save();
}

Result<void> RequestHistory::save() const
{
    QJsonObject profiles;
    for (auto it = m_entries.constBegin(); it != m_entries.constEnd(); ++it) {
        QJsonArray entries;
        for (const HistoryEntry &entry : it.value()) {
            entries.append(entry.toJson());
        }
        profiles.insert(it.key(), entries);
    }
    const QJsonObject root {{QStringLiteral("version"), fileVersion},
                            {QStringLiteral("profiles"), profiles}};
    const auto failed = [this](const QString &why) {
        return Error(
            Error::Kind::Storage,
            QStringLiteral("The request history could not be saved to %1: %2").arg(m_path, why));
    };
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        return failed(QStringLiteral("cannot create its folder"));
    }
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        return failed(file.errorString());
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        return failed(file.errorString());
    }
    return {};
}

} // namespace tokenkeeper
