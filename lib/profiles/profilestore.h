#pragma once

#include "profile.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <functional>

namespace tokenkeeper {

// An entry of the profiles file that cannot be used as it is, edited by hand
// (or by another program) into a state Tokenkeeper would never write: an id
// that is not well-formed (Profile::checkId) or that another entry has too,
// a server or token URL the command line would refuse (Profile::checkUrl), a
// field missing. Nothing is sent for it, nothing becomes a path or keychain
// key of its id, and every save writes it back as it was read. For a shared
// id both entries are refused: which one the keychain entry belongs to
// cannot be told.
struct RefusedProfile
{
    QString name; // as written; may be empty
    QString id; // as written; may be empty or anything
    QString reason; // names the file and the profile, and says how to fix it
    QJsonValue entry; // the entry as read
    qsizetype index = 0; // its place in the file

    // The name, else "#N" (its place in the file).
    QString label() const;
};

// The profiles file: JSON with a schema version, under the user's config
// directory, written atomically (QSaveFile) and changed only under a lock
// file, so two processes adding profiles at once lose nothing. A file that
// cannot be read or parsed is an error naming the file, and is never
// overwritten. An entry that cannot be used is refused on its own
// (RefusedProfile); the others keep working.
class ProfileStore final
{
public:
    struct Contents
    {
        QList<Profile> profiles; // the usable ones
        QList<RefusedProfile> refused;
    };

    static constexpr int schemaVersion = 1;

    explicit ProfileStore(QString path);
    static QString defaultPath(); // <config>/tokenkeeper/profiles.json

    const QString &path() const { return m_path; }

    // The usable profiles and the refused entries.
    Result<Contents> read() const;
    // The usable profiles only.
    Result<QList<Profile>> load() const;
    // Finds by exact name, else by id; a refused entry is a Storage error
    // saying why.
    Result<Profile> find(const QString &nameOrId) const;

    // Adds a profile (a new id is assigned); the name must be free.
    Result<Profile> add(Profile profile);
    // Replaces the profile with the same id; the name must stay unique.
    Result<void> update(const Profile &profile);
    // Removes by name or id and hands back what was removed.
    Result<Profile> remove(const QString &nameOrId);

private:
    using Change = std::function<Result<void>(Contents &)>;
    Result<void> change(const Change &change);
    Result<void> save(const QList<Profile> &profiles, const QList<RefusedProfile> &refused);

    QString m_path;
};

} // namespace tokenkeeper
