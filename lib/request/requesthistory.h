#pragma once

#include "apirequest.h"
#include "core/result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

namespace tokenkeeper {

// One request the user sent, as typed, and how it went. No Authorization
// header and no token: the request never held them, and any token that
// turns up in what the user typed is redacted before it is kept.
struct HistoryEntry
{
    ApiRequest request;
    QDateTime sentAt;
    int status = 0; // 0: no answer
    qint64 elapsedMs = 0;
    bool retried = false; // a 401 renewed the token
    bool bodyDropped = false; // the request had a body that was not kept (too large, or old)

    QJsonObject toJson() const;
    static std::optional<HistoryEntry> fromJson(const QJsonObject &json);
};

// The last requests of every profile (newest first, at most `perProfile`
// each), in one JSON file in the user's data directory, written atomically
// and readable by the user only. A file that cannot be read is set aside
// (".unreadable") rather than overwritten, and load() says so.
class RequestHistory final
{
public:
    static constexpr int perProfile = 50;
    static constexpr qsizetype maxBodyBytes = 64 * 1024; // a longer body is not kept
    // All bodies together, over every profile: past it, the oldest bodies go
    // (the requests stay), so the file, rewritten on every add, stays small.
    static constexpr qint64 maxKeptBodyBytes = 4 * 1024 * 1024;

    explicit RequestHistory(QString path);

    // ~/.local/share/tokenkeeper/history.json
    static QString defaultPath();
    const QString &path() const { return m_path; }

    Result<void> load();
    QList<HistoryEntry> entries(const QString &profileId) const
    {
        return m_entries.value(profileId);
    }
    // Keeps `entry` first for the profile, with every one of `secrets` that
    // occurs in it redacted, and saves.
    Result<void> add(const QString &profileId, HistoryEntry entry, const QStringList &secrets);
    // Forgets a profile's history (the profile was deleted) and saves.
    Result<void> forget(const QString &profileId);

private:
    void dropOldestBodies();
    Result<void> save() const;

    QString m_path;
    QHash<QString, QList<HistoryEntry>> m_entries;
};

} // namespace tokenkeeper
