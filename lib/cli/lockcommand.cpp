#include "agent/agentclient.h"
#include "commands.h"
#include "context.h"

#include <QJsonObject>

namespace tokenkeeper::cli {

namespace {

// `lock`: the running agent drops every secret and token from memory
// (Engine::lock). Without an agent nothing is held: each command reads the
// keychain and ends, so there is nothing to drop, and it says so.
class LockCommand final : public Command
{
public:
    void run(Context &cli, const QStringList &args) override
    {
        if (!args.isEmpty()) {
            cli.usage(QStringLiteral("`lock` takes no arguments"));
            return;
        }
        cli.agent().request({{QStringLiteral("cmd"), QStringLiteral("lock")}}, 10'000,
                            [&cli](std::optional<Result<QJsonObject>> answer) {
                                if (!answer) {
                                    cli.out() << "No agent runs: no secret or token is held in "
                                                 "memory (each command reads the keychain and "
                                                 "ends), so there is nothing to lock.\n";
                                    cli.done(Ok);
                                    return;
                                }
                                if (!*answer) {
                                    cli.fail(answer->error());
                                    return;
                                }
                                cli.out()
                                    << answer->value().value(QStringLiteral("message")).toString()
                                    << '\n';
                                cli.done(Ok);
                            });
    }
};

} // namespace

std::unique_ptr<Command> makeLock()
{
    return std::make_unique<LockCommand>();
}

} // namespace tokenkeeper::cli
