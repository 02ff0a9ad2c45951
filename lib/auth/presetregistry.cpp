#include "presetregistry.h"

#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QStandardPaths>

static void initPresetResources()
{
    Q_INIT_RESOURCE(presets);
}

namespace tokenkeeper {

namespace {

Result<Preset> readPresetFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return Error(Error::Kind::Usage,
                     QStringLiteral("Preset %1: cannot read: %2")
                         .arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    constexpr qint64 maxPresetBytes = 256 * 1024;
    const QByteArray data = file.read(maxPresetBytes + 1);
    if (data.size() > maxPresetBytes) {
        return Error(Error::Kind::Usage,
                     QStringLiteral("Preset %1: larger than 256 KiB").arg(path));
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return Error(Error::Kind::Usage,
                     QStringLiteral("Preset %1: not a JSON object (%2 at offset %3)")
                         .arg(QDir::toNativeSeparators(path), parseError.errorString())
                         .arg(parseError.offset));
    }
    return Preset::fromJson(document.object(), QDir::toNativeSeparators(path));
}

} // namespace

QString PresetRegistry::defaultUserDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/tokenkeeper/presets");
}

PresetRegistry PresetRegistry::load(const QString &userDirectory)
{
    initPresetResources();
    PresetRegistry registry;
    const QDir builtIn(QStringLiteral(":/presets"));
    for (const QString &name :
         builtIn.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        auto preset = readPresetFile(builtIn.filePath(name));
        // A built-in preset that does not load is a bug in this build.
        Q_ASSERT_X(preset.ok(), "PresetRegistry", qPrintable(preset.error().message()));
        registry.add(std::move(preset));
    }
    if (!userDirectory.isEmpty()) {
        const QDir user(userDirectory);
        for (const QString &name :
             user.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
            registry.add(readPresetFile(user.filePath(name)));
        }
    }
    return registry;
}

void PresetRegistry::add(Result<Preset> preset)
{
    if (!preset) {
        qCWarning(lcAuth).noquote() << preset.error().message();
        m_problems.append(preset.error().message());
        return;
    }
    if (find(preset->id)) {
        m_problems.append(QStringLiteral("Preset %1: the id \"%2\" is taken already; skipped")
                              .arg(preset->origin, preset->id));
        return;
    }
    m_presets.append(std::move(preset).value());
}

const Preset *PresetRegistry::find(const QString &id) const
{
    for (const Preset &preset : m_presets) {
        if (preset.id == id) {
            return &preset;
        }
    }
    return nullptr;
}

} // namespace tokenkeeper
