#pragma once

#include "apirequest.h"
#include "core/result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <functional>

namespace tokenkeeper {

// One request the user sent, and how it went (the status, never the
// answer's headers or body). No Authorization header and no secret: the
// request never held the header, and what the user typed is kept only as
// historyredaction.h says.
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
// each), in one JSON file in the user's data directory, written atomically,
// in a folder of the user's only (0700) and a file of the user's only (0600),
// each created so (never wider for a moment, whatever the umask). A file
// that cannot be read is set aside (".unreadable") rather than overwritten,
// and load() says so.
//
// The window and `tokenkeeper request` both add to it: add() reads the file
// again first, so neither drops what the other kept. What it keeps (all, no
// bodies, nothing) is the user's setting (AppSettings::requestHistory),
// asked of `keep` on every add.
class RequestHistory final
{
public:
    enum class Keep { Everything, WithoutBodies, Nothing };
    // "all", "no-bodies", "none": the setting's words, in the settings file
    // and on the command line.
    static QString keepName(Keep keep);
    static std::optional<Keep> keepFromName(const QString &name);

    static constexpr int perProfile = 50;
    static constexpr qsizetype maxBodyBytes = 64 * 1024; // a longer body is not kept
    // All bodies together, over every profile: past it, the oldest bodies go
    // (the requests stay), so the file, rewritten on every add, stays small.
    static constexpr qint64 maxKeptBodyBytes = 4 * 1024 * 1024;

    // `keep`: what to keep, asked on every add; none: everything.
    explicit RequestHistory(QString path, std::function<Keep()> keep = {});

    // ~/.local/share/tokenkeeper/history.json
    static QString defaultPath();
    const QString &path() const { return m_path; }

    Result<void> load();
    QList<HistoryEntry> entries(const QString &profileId) const
    {
        return m_entries.value(profileId);
    }
    Keep keep() const { return m_keep ? m_keep() : Keep::Everything; }
    // Keeps `entry` first for the profile, redacted as historyredaction.h
    // says (every form of each of `secrets` included), and saves; keeps
    // nothing when the setting says so. A file that could not be read again
    // was set aside (the error says so) and the entry kept in a new one.
    Result<void> add(const QString &profileId, HistoryEntry entry, const QStringList &secrets);
    // Drops what `keep` does not keep, here and in the file (nothing: the
    // file goes): the setting was just changed.
    Result<void> applyKeep(Keep keep);
    // Forgets a profile's history (the profile was deleted) and saves.
    Result<void> forget(const QString &profileId);

private:
    void dropOldestBodies();
    Result<void> save() const;

    QString m_path;
    std::function<Keep()> m_keep;
    QHash<QString, QList<HistoryEntry>> m_entries;
};

} // namespace tokenkeeper
