#include "profilestore.h"

#include "core/logging.h"
#include "core/text.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUuid>

#include <algorithm>

namespace tokenkeeper {

namespace {

constexpr qint64 maxFileBytes = 16 * 1024 * 1024;

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

Error storageError(const QString &path, const QString &what)
{
    return {Error::Kind::Storage, QStringLiteral("Profiles file %1: %2").arg(native(path), what)};
}

const Profile *findIn(const QList<Profile> &profiles, const QString &nameOrId)
{
    for (const Profile &profile : profiles) {
        if (profile.name == nameOrId) {
            return &profile;
        }
    }
    for (const Profile &profile : profiles) {
        if (profile.id == nameOrId) {
            return &profile;
        }
    }
    return nullptr;
}

const RefusedProfile *refusedIn(const QList<RefusedProfile> &refused, const QString &nameOrId)
{
    for (const RefusedProfile &entry : refused) {
        if (!entry.name.isEmpty() && entry.name == nameOrId) {
            return &entry;
        }
    }
    for (const RefusedProfile &entry : refused) {
        if (!entry.id.isEmpty() && entry.id == nameOrId) {
            return &entry;
        }
    }
    return nullptr;
}

QString refusal(const QString &path, const QString &label, const QString &why)
{
    return QStringLiteral("Profiles file %1: profile %2 cannot be used: %3 Nothing is sent for "
                          "it until the file is corrected; the other profiles work as before.")
        .arg(native(path), label, why);
}

// Refuses every entry whose id another entry has too.
void refuseSharedIds(const QString &path, QList<Profile> &profiles, QList<RefusedProfile> &refused,
                     const QList<qsizetype> &indexes, const QJsonArray &array)
{
    QHash<QString, QStringList> namesById;
    for (const Profile &profile : profiles) {
        namesById[profile.id].append(QStringLiteral("\"%1\"").arg(printable(profile.name)));
    }
    for (const RefusedProfile &entry : refused) {
        if (!entry.id.isEmpty()) {
            namesById[entry.id].append(entry.label());
        }
    }
    for (qsizetype i = profiles.size() - 1; i >= 0; --i) {
        const Profile &profile = profiles.at(i);
        const QStringList &sharing = namesById.value(profile.id);
        if (sharing.size() < 2) {
            continue;
        }
        RefusedProfile entry {profile.name, profile.id, {}, array.at(indexes.at(i)), indexes.at(i)};
        entry.reason = refusal(
            path, entry.label(),
            QStringLiteral("its id \"%1\" is shared by %2 (a copied entry?), so which of them "
                           "the keychain entry belongs to cannot be told. Remove the copies, or "
                           "give all but one of them a new id (1 to 64 of a-z, 0-9, '.', '_' "
                           "and '-') and log in to those again.")
                .arg(profile.id, sharing.join(QStringLiteral(", "))));
        refused.append(entry);
        profiles.removeAt(i);
    }
    std::sort(refused.begin(), refused.end(),
              [](const RefusedProfile &a, const RefusedProfile &b) { return a.index < b.index; });
}

Error notFound(const QString &nameOrId)
{
    return {Error::Kind::Usage,
            QStringLiteral("No profile named \"%1\". `tokenkeeper profile list` shows them.")
                .arg(nameOrId)};
}

} // namespace

QString RefusedProfile::label() const
{
    return name.isEmpty() ? QStringLiteral("#%1").arg(index + 1)
                          : QStringLiteral("\"%1\"").arg(printable(name));
}

ProfileStore::ProfileStore(QString path)
    : m_path(std::move(path))
{ }

QString ProfileStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/tokenkeeper/profiles.json");
}

Result<QList<Profile>> ProfileStore::load() const
{
    auto contents = read();
    if (!contents) {
        return contents.error();
    }
    return std::move(contents->profiles);
}

Result<ProfileStore::Contents> ProfileStore::read() const
{
    QFile file(m_path);
    if (!file.exists()) {
        return Contents();
    }
    if (!file.open(QIODevice::ReadOnly)) {
        return storageError(
            m_path,
            QStringLiteral("cannot be read (%1). It was left as it is.").arg(file.errorString()));
    }
    if (file.size() > maxFileBytes) {
        return storageError(m_path,
                            QStringLiteral("is larger than 16 MiB; this is not a "
                                           "profiles file. It was left as it is."));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return storageError(
            m_path,
            QStringLiteral("is damaged (%1 at byte %2). It was left as it is: repair "
                           "it or move it away, then try again.")
                .arg(parseError.error != QJsonParseError::NoError
                         ? parseError.errorString()
                         : QStringLiteral("not a JSON object"))
                .arg(parseError.offset));
    }
    const QJsonObject root = document.object();
    const int schema = root.value(QStringLiteral("schema")).toInt(0);
    if (schema > schemaVersion) {
        return storageError(m_path,
                            QStringLiteral("was written by a newer Tokenkeeper (schema %1; this "
                                           "one reads %2). It was left as it is.")
                                .arg(schema)
                                .arg(schemaVersion));
    }
    if (schema < 1 || !root.value(QStringLiteral("profiles")).isArray()) {
        return storageError(m_path,
                            QStringLiteral("has no schema version or profile list. It "
                                           "was left as it is."));
    }
    Contents contents;
    QList<qsizetype> indexes; // each usable profile's place in the file
    const QJsonArray array = root.value(QStringLiteral("profiles")).toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject json = array.at(i).toObject();
        auto profile = Profile::fromJson(json);
        if (!profile) {
            RefusedProfile entry {json.value(QStringLiteral("name")).toString(),
                                  json.value(QStringLiteral("id")).toString(),
                                  {},
                                  array.at(i),
                                  i};
            entry.reason =
                refusal(m_path, entry.label(),
                        array.at(i).isObject() ? profile.error().message()
                                               : QStringLiteral("it is not a JSON object."));
            qCWarning(lcProfiles).noquote() << entry.reason;
            contents.refused.append(std::move(entry));
            continue;
        }
        contents.profiles.append(std::move(profile).value());
        indexes.append(i);
    }
    const qsizetype refusedBefore = contents.refused.size();
    refuseSharedIds(m_path, contents.profiles, contents.refused, indexes, array);
    if (contents.refused.size() != refusedBefore) {
        qCWarning(lcProfiles) << "profiles sharing an id refused:"
                              << contents.refused.size() - refusedBefore;
    }
    return contents;
}

Result<Profile> ProfileStore::find(const QString &nameOrId) const
{
    auto contents = read();
    if (!contents) {
        return contents.error();
    }
    // By name first, usable or not: a refused entry is never mistaken for
    // another profile whose id is its name.
    for (const Profile &profile : contents->profiles) {
        if (profile.name == nameOrId) {
            return profile;
        }
    }
    if (const RefusedProfile *refused = refusedIn(contents->refused, nameOrId)) {
        return Error(Error::Kind::Storage, refused->reason);
    }
    const Profile *found = findIn(contents->profiles, nameOrId);
    if (!found) {
        return notFound(nameOrId);
    }
    return *found;
}

Result<Profile> ProfileStore::add(Profile profile)
{
    profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto changed = change([&profile](Contents &contents) -> Result<void> {
        const bool taken =
            std::any_of(contents.profiles.cbegin(), contents.profiles.cend(),
                        [&profile](const Profile &other) { return other.name == profile.name; })
            || std::any_of(
                contents.refused.cbegin(), contents.refused.cend(),
                [&profile](const RefusedProfile &other) { return other.name == profile.name; });
        if (taken) {
            return Error(
                Error::Kind::Usage,
                QStringLiteral("A profile named \"%1\" exists already.").arg(profile.name));
        }
        contents.profiles.append(profile);
        return {};
    });
    if (!changed) {
        return changed.error();
    }
    return profile;
}

Result<void> ProfileStore::update(const Profile &profile)
{
    return change([&profile](Contents &contents) -> Result<void> {
        Profile *target = nullptr;
        for (Profile &other : contents.profiles) {
            if (other.id == profile.id) {
                target = &other;
            } else if (other.name == profile.name) {
                return Error(
                    Error::Kind::Usage,
                    QStringLiteral("A profile named \"%1\" exists already.").arg(profile.name));
            }
        }
        if (!target) {
            return notFound(profile.name);
        }
        *target = profile;
        return {};
    });
}

Result<Profile> ProfileStore::remove(const QString &nameOrId)
{
    Profile removed;
    auto changed = change([&](Contents &contents) -> Result<void> {
        QList<Profile> &profiles = contents.profiles;
        const Profile *found = findIn(profiles, nameOrId);
        if (!found) {
            if (const RefusedProfile *refused = refusedIn(contents.refused, nameOrId)) {
                return Error(Error::Kind::Storage, refused->reason);
            }
            return notFound(nameOrId);
        }
        removed = *found;
        profiles.removeAt(found - profiles.constData());
        return {};
    });
    if (!changed) {
        return changed.error();
    }
    return removed;
}

Result<void> ProfileStore::change(const Change &change)
{
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        return storageError(m_path, QStringLiteral("its folder cannot be created"));
    }
    // Read-modify-write under a lock: a second process waits for the first.
    QLockFile lock(m_path + QStringLiteral(".lock"));
    lock.setStaleLockTime(10'000);
    if (!lock.tryLock(10'000)) {
        return storageError(m_path,
                            QStringLiteral("another Tokenkeeper has held its lock for "
                                           "10 s; try again"));
    }
    auto contents = read();
    if (!contents) {
        return contents.error();
    }
    if (auto changed = change(contents.value()); !changed) {
        return changed;
    }
    return save(contents->profiles, contents->refused);
}

Result<void> ProfileStore::save(const QList<Profile> &profiles,
                                const QList<RefusedProfile> &refused)
{
    QJsonArray array;
    for (const Profile &profile : profiles) {
        array.append(profile.toJson());
    }
    // The refused entries go back as they were read, each at its old place
    // (they are in file order).
    for (const RefusedProfile &entry : refused) {
        array.insert(qMin(entry.index, array.size()), entry.entry);
    }
    const QJsonObject root {{QStringLiteral("schema"), schemaVersion},
                            {QStringLiteral("profiles"), array}};
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        return storageError(m_path,
                            QStringLiteral("cannot be written (%1)").arg(file.errorString()));
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        return storageError(m_path,
                            QStringLiteral("cannot be written (%1); the old file is "
                                           "unchanged")
                                .arg(file.errorString()));
    }
    qCDebug(lcProfiles) << "saved" << profiles.size() << "profiles";
    return {};
}

} // namespace tokenkeeper
