#include "commands.h"
#include "context.h"
#include "profiles/profilestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tokenkeeper::cli {

namespace {

// `profile list [--json]`
class ProfileListCommand final : public Command
{
public:
    void run(Context &cli, const QStringList &args) override
    {
        const bool json = args.contains(QStringLiteral("--json"));
        if (args.size() > (json ? 1 : 0)) {
            cli.usage(QStringLiteral("`profile list` takes only --json"));
            return;
        }
        auto contents = cli.engine().profileStore().read();
        if (!contents) {
            cli.fail(contents.error());
            return;
        }
        const QList<Profile> *profiles = &contents->profiles;
        // Entries a hand edit made unusable are listed with the reason.
        for (const RefusedProfile &entry : contents->refused) {
            cli.err() << "tokenkeeper: " << entry.reason << '\n';
        }
        if (json) {
            QJsonArray array;
            for (const Profile &profile : *profiles) {
                array.append(profile.toJson());
            }
            for (const RefusedProfile &entry : contents->refused) {
                array.append(QJsonObject {{QStringLiteral("name"), entry.name},
                                          {QStringLiteral("id"), entry.id},
                                          {QStringLiteral("refused"), entry.reason}});
            }
            cli.out() << QJsonDocument(array).toJson(QJsonDocument::Indented);
            cli.done(Ok);
            return;
        }
        if (profiles->isEmpty() && contents->refused.isEmpty()) {
            cli.out() << "No profiles yet. Add one with: tokenkeeper profile add NAME --preset P "
                         "--url URL\n";
            cli.done(Ok);
            return;
        }
        qsizetype nameWidth = 4;
        qsizetype presetWidth = 6;
        for (const Profile &profile : *profiles) {
            nameWidth = qMax(nameWidth, profile.name.size());
            presetWidth = qMax(presetWidth, profile.preset.size());
        }
        cli.out() << QStringLiteral("NAME").leftJustified(nameWidth + 2)
                  << QStringLiteral("PRESET").leftJustified(presetWidth + 2) << "URL\n";
        for (const Profile &profile : *profiles) {
            cli.out() << profile.name.leftJustified(nameWidth + 2)
                      << profile.preset.leftJustified(presetWidth + 2) << profile.baseUrl.toString()
                      << '\n';
        }
        cli.done(Ok);
    }
};

} // namespace

std::unique_ptr<Command> makeProfileList()
{
    return std::make_unique<ProfileListCommand>();
}

} // namespace tokenkeeper::cli
