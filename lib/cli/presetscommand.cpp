#include "commands.h"
#include "context.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tokenkeeper::cli {

namespace {

// `presets [--json]`: the built-in presets and the user's own.
class PresetsCommand final : public Command
{
public:
    void run(Context &cli, const QStringList &args) override
    {
        const PresetRegistry &presets = cli.engine().presets();
        if (args.contains(QStringLiteral("--json"))) {
            QJsonArray array;
            for (const Preset &preset : presets.presets()) {
                array.append(QJsonObject {{QStringLiteral("id"), preset.id},
                                          {QStringLiteral("name"), preset.name},
                                          {QStringLiteral("description"), preset.description},
                                          {QStringLiteral("origin"), preset.origin}});
            }
            cli.out() << QJsonDocument(array).toJson(QJsonDocument::Indented);
        } else {
            for (const Preset &preset : presets.presets()) {
                cli.out() << preset.id.leftJustified(28) << preset.name << '\n';
            }
        }
        for (const QString &problem : presets.problems()) {
            cli.err() << "tokenkeeper: " << problem << '\n';
        }
        cli.done(Ok);
    }
};

} // namespace

std::unique_ptr<Command> makePresets()
{
    return std::make_unique<PresetsCommand>();
}

} // namespace tokenkeeper::cli
