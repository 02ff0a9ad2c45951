#pragma once

#include "profile.h"

#include <QList>
#include <QString>

#include <functional>

namespace tokenkeeper {

// The profiles file: JSON with a schema version, under the user's config
// directory, written atomically (QSaveFile) and changed only under a lock
// file, so two processes adding profiles at once lose nothing. A file that
// cannot be read or parsed is an error naming the file, and is never
// overwritten.
class ProfileStore final
{
public:
    static constexpr int schemaVersion = 1;

    explicit ProfileStore(QString path);
    static QString defaultPath(); // <config>/tokenkeeper/profiles.json

    const QString &path() const { return m_path; }

    Result<QList<Profile>> load() const;
    // Finds by exact name, else by id.
    Result<Profile> find(const QString &nameOrId) const;

    // Adds a profile (a new id is assigned); the name must be free.
    Result<Profile> add(Profile profile);
    // Replaces the profile with the same id; the name must stay unique.
    Result<void> update(const Profile &profile);
    // Removes by name or id and hands back what was removed.
    Result<Profile> remove(const QString &nameOrId);

private:
    using Change = std::function<Result<void>(QList<Profile> &)>;
    Result<void> change(const Change &change);
    Result<void> save(const QList<Profile> &profiles);

    QString m_path;
};

} // namespace tokenkeeper
