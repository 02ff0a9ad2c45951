#include "requesthistory.h"

#include "historyredaction.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryFile>

#include <filesystem>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace tokenkeeper {

namespace {

constexpr int fileVersion = 1;
constexpr qint64 maxFileBytes = 32 * 1024 * 1024;

// Makes `folder` (and its missing parents) with the last one the user's
// only: created 0700 (no moment wider, whatever the umask), narrowed to 0700
// when it was wider.
bool makePrivateFolder(const QString &folder)
{
#ifdef Q_OS_UNIX
    const QByteArray path = QFile::encodeName(folder);
    if (!QDir().mkpath(QFileInfo(folder).absolutePath())) {
        return false;
    }
    if (::mkdir(path.constData(), 0700) != 0 && errno != EEXIST) {
        return false;
    }
    struct stat info
    {
    };
    if (::stat(path.constData(), &info) != 0 || !S_ISDIR(info.st_mode)) {
        return false;
    }
    return (info.st_mode & 0777) == 0700 || ::chmod(path.constData(), 0700) == 0;
#else
    return QDir().mkpath(folder);
#endif
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

QString RequestHistory::keepName(Keep keep)
{
    switch (keep) {
    case Keep::Everything:
        return QStringLiteral("all");
    case Keep::WithoutBodies:
        return QStringLiteral("no-bodies");
    case Keep::Nothing:
        return QStringLiteral("none");
    }
    return {};
}

std::optional<RequestHistory::Keep> RequestHistory::keepFromName(const QString &name)
{
    for (const Keep keep : {Keep::Everything, Keep::WithoutBodies, Keep::Nothing}) {
        if (name.compare(keepName(keep), Qt::CaseInsensitive) == 0) {
            return keep;
        }
    }
    return std::nullopt;
}

RequestHistory::RequestHistory(QString path, std::function<Keep()> keep)
    : m_path(std::move(path))
    , m_keep(std::move(keep))
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
    const Keep keeping = keep();
    if (keeping == Keep::Nothing) {
        return applyKeep(keeping);
    }
    const Result<void> reread = load(); // what another process added meanwhile
    const bool hadBody = !entry.request.body.isEmpty();
    if (keeping == Keep::WithoutBodies || entry.request.body.size() > maxBodyBytes) {
        entry.request.body.clear();
    }
    entry.request = historyredaction::redactedRequest(entry.request, secrets);
    entry.bodyDropped = entry.bodyDropped || (hadBody && entry.request.body.isEmpty());
    QList<HistoryEntry> &entries = m_entries[profileId];
    entries.prepend(entry);
    while (entries.size() > perProfile) {
        entries.removeLast();
    }
    dropOldestBodies();
    if (const Result<void> saved = save(); !saved) {
        return saved;
    }
    return reread;
}

Result<void> RequestHistory::applyKeep(Keep keep)
{
    if (keep == Keep::Nothing) {
        m_entries.clear();
        if (QFile::exists(m_path) && !QFile::remove(m_path)) {
            return Error(
                Error::Kind::Storage,
                QStringLiteral("The request history %1 could not be deleted.").arg(m_path));
        }
        return {};
    }
    if (keep == Keep::Everything) {
        return {};
    }
    bool dropped = false;
    for (QList<HistoryEntry> &entries : m_entries) {
        for (HistoryEntry &entry : entries) {
            if (!entry.request.body.isEmpty()) {
                entry.request.body.clear();
                entry.bodyDropped = true;
                dropped = true;
            }
        }
    }
    return dropped ? save() : Result<void>();
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
    // What another process added meanwhile; an unreadable file is set aside.
    static_cast<void>(load());
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
    if (!makePrivateFolder(QFileInfo(m_path).absolutePath())) {
        return failed(QStringLiteral("cannot create its folder"));
    }
    // A temporary file is created 0600 (QSaveFile's would be 0666 less the
    // umask until its permissions were set), then renamed over the old one.
    QTemporaryFile file(m_path + QStringLiteral(".XXXXXX"));
    if (!file.open()) {
        return failed(file.errorString());
    }
    const QByteArray bytes = QJsonDocument(root).toJson(QJsonDocument::Indented);
    if (file.write(bytes) != bytes.size() || !file.flush()) {
        return failed(file.errorString());
    }
#ifdef Q_OS_UNIX
    if (::fsync(file.handle()) != 0) {
        return failed(QStringLiteral("cannot write it to the disk"));
    }
#endif
    std::error_code renameError;
    std::filesystem::rename(QFile::encodeName(file.fileName()).toStdString(),
                            QFile::encodeName(m_path).toStdString(), renameError);
    if (renameError) {
        return failed(QString::fromStdString(renameError.message()));
    }
    file.setAutoRemove(false); // it is the history now
    return {};
}

} // namespace tokenkeeper
