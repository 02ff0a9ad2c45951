#include "commands.h"
#include "context.h"
#include "engine/profilemanager.h"

#include <QJsonObject>

namespace tokenkeeper::cli {

namespace {

// `profile remove NAME`: its secrets first (ProfileManager::remove), by
// the running agent when one runs.
class ProfileRemoveCommand final : public Command
{
public:
    void run(Context &cli, const QStringList &args) override
    {
        if (args.size() != 1) {
            cli.usage(QStringLiteral("`profile remove` needs exactly one NAME"));
            return;
        }
        Profile profile;
        if (!cli.loadProfile(args.first(), profile)) {
            return;
        }
        const auto removed = [&cli, profile] {
            cli.out() << "Removed profile \"" << profile.name << "\" and its secrets.\n";
            cli.done(Ok);
        };
        // Through a running agent: a rotation it could not store yet would
        // otherwise be written back after we removed the secrets.
        cli.askAgent(
            {{QStringLiteral("cmd"), QStringLiteral("remove")},
             {QStringLiteral("profile"), profile.name}},
            profile, [removed](const QJsonObject &) { removed(); },
            [&cli, profile, removed] {
                cli.engine().profiles().remove(profile, &cli, [&cli, removed](Result<void> done) {
                    if (!done) {
                        cli.fail(done.error());
                        return;
                    }
                    if (const auto problem = cli.engine().historyProblem()) {
                        cli.err() << "tokenkeeper: " << problem->message() << '\n';
                    }
                    removed();
                });
            });
    }
};

} // namespace

std::unique_ptr<Command> makeProfileRemove()
{
    return std::make_unique<ProfileRemoveCommand>();
}

} // namespace tokenkeeper::cli
