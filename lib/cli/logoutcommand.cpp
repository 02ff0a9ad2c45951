#include "commands.h"
#include "context.h"
#include "engine/profilemanager.h"

#include <QJsonObject>

namespace tokenkeeper::cli {

namespace {

// `logout NAME`: through the agent when one runs (it holds the newest
// refresh token), else in this process.
class LogoutCommand final : public Command
{
public:
    void run(Context &cli, const QStringList &args) override
    {
        if (args.size() != 1) {
            cli.usage(QStringLiteral("`logout` needs exactly one NAME"));
            return;
        }
        Profile profile;
        if (!cli.loadProfile(args.first(), profile)) {
            return;
        }
        const auto report = [&cli, profile](bool ended, const QString &warning) {
            if (!warning.isEmpty()) {
                cli.err() << "tokenkeeper: " << warning << '\n';
            }
            cli.out() << "Logged out of \"" << profile.name << "\""
                      << (ended ? QStringLiteral("; the server session is ended") : QString())
                      << ". Its secrets are gone from the keychain.\n";
            cli.done(Ok);
        };
        cli.askAgent(
            {{QStringLiteral("cmd"), QStringLiteral("logout")},
             {QStringLiteral("profile"), profile.name}},
            profile,
            [report](const QJsonObject &answer) {
                report(answer.value(QStringLiteral("server_session_ended")).toBool(),
                       answer.value(QStringLiteral("warning")).toString());
            },
            [&cli, profile, report] {
                cli.deferInterrupts(); // the session ends at the server, then in the keychain
                cli.engine().profiles().logOut(
                    profile, &cli,
                    [&cli, profile, report](Result<TokenService::LogoutOutcome> outcome) {
                        if (!outcome) {
                            cli.fail(outcome.error(), profile.name);
                            return;
                        }
                        report(outcome->serverSessionEnded, outcome->warning);
                    });
            });
    }
};

} // namespace

std::unique_ptr<Command> makeLogout()
{
    return std::make_unique<LogoutCommand>();
}

} // namespace tokenkeeper::cli
