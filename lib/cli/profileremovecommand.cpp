#include "commands.h"
#include "context.h"
#include "engine/profilemanager.h"

#include <QJsonObject>

namespace tokenkeeper::cli {

namespace {

// `profile remove NAME`: its secrets first (ProfileManager::remove).
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
        cli.engine().profiles().remove(profile, &cli, [&cli, profile](Result<void> removed) {
            if (!removed) {
                cli.fail(removed.error());
                return;
            }
            cli.out() << "Removed profile \"" << profile.name << "\" and its secrets.\n";
            if (const auto problem = cli.engine().historyProblem()) {
                cli.err() << "tokenkeeper: " << problem->message() << '\n';
            }
            cli.tellAgent({{QStringLiteral("cmd"), QStringLiteral("reload")}},
                          [&cli] { cli.done(Ok); });
        });
    }
};

} // namespace

std::unique_ptr<Command> makeProfileRemove()
{
    return std::make_unique<ProfileRemoveCommand>();
}

} // namespace tokenkeeper::cli
