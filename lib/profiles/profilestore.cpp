#include "profilestore.h"

#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUuid>

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

Error notFound(const QString &nameOrId)
{
    return {Error::Kind::Usage,
            QStringLiteral("No profile named \"%1\". `tokenkeeper profile list` shows them.")
                .arg(nameOrId)};
}

} // namespace

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
    QFile file(m_path);
    if (!file.exists()) {
        return QList<Profile>();
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
    QList<Profile> profiles;
    const QJsonArray array = root.value(QStringLiteral("profiles")).toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto profile = Profile::fromJson(array.at(i).toObject());
        if (!profile) {
            return storageError(m_path,
                                QStringLiteral("profile #%1: %2. It was left as it is.")
                                    .arg(i + 1)
                                    .arg(profile.error().message()));
        }
        profiles.append(std::move(profile).value());
    }
    return profiles;
}

Result<Profile> ProfileStore::find(const QString &nameOrId) const
{
    auto profiles = load();
    if (!profiles) {
        return profiles.error();
    }
    const Profile *found = findIn(*profiles, nameOrId);
    if (!found) {
        return notFound(nameOrId);
    }
    return *found;
}

Result<Profile> ProfileStore::add(Profile profile)
{
    profile.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto changed = change([&profile](QList<Profile> &profiles) -> Result<void> {
        for (const Profile &other : profiles) {
            if (other.name == profile.name) {
                return Error(
                    Error::Kind::Usage,
                    QStringLiteral("A profile named \"%1\" exists already.").arg(profile.name));
            }
        }
        profiles.append(profile);
        return {};
    });
    if (!changed) {
        return changed.error();
    }
    return profile;
}

Result<void> ProfileStore::update(const Profile &profile)
{
    return change([&profile](QList<Profile> &profiles) -> Result<void> {
        Profile *target = nullptr;
        for (Profile &other : profiles) {
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
    auto changed = change([&](QList<Profile> &profiles) -> Result<void> {
        const Profile *found = findIn(profiles, nameOrId);
        if (!found) {
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
    auto profiles = load();
    if (!profiles) {
        return profiles.error();
    }
    if (auto changed = change(profiles.value()); !changed) {
        return changed;
    }
    return save(profiles.value());
}

Result<void> ProfileStore::save(const QList<Profile> &profiles)
{
    QJsonArray array;
    for (const Profile &profile : profiles) {
        array.append(profile.toJson());
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
