#include "agent/agent.h"
#include "commands.h"
#include "context.h"
#include "scheduler/refreshscheduler.h"

namespace tokenkeeper::cli {

namespace {

// `agent`: the engine served on the agent's socket until SIGTERM or SIGINT.
class AgentCommand final : public Command
{
public:
    void run(Context &cli, const QStringList &args) override
    {
        if (!args.isEmpty()) {
            cli.usage(QStringLiteral("`agent` takes no arguments"));
            return;
        }
        Agent::Options options;
        options.limits = Agent::Limits::fromEnvironment();
        auto *agent = new Agent(cli.engine(), options, &cli);
        if (auto started = agent->start(); !started) {
            cli.fail(started.error());
            return;
        }
        const qsizetype count = cli.engine().scheduler().profiles().size();
        cli.err() << "tokenkeeper agent: keeping " << count
                  << (count == 1 ? " profile" : " profiles") << " fresh; listening on "
                  << agent->socketPath() << '\n';
        cli.err().flush();
        // SIGTERM or SIGINT (app/cli/main.cpp watches them): what is under way
        // finishes and every rotation is saved first (Engine::stop); one that
        // could not be saved is said, and exit 5.
        cli.setInterruptHandler([&cli, agent](int) {
            cli.err() << "tokenkeeper agent: stopping; letting renewals under way finish\n";
            cli.err().flush();
            agent->stop(agent->engine().stopGraceMs(), [&cli](Result<void> saved) {
                if (!saved) {
                    cli.fail(saved.error());
                    return;
                }
                cli.done(Ok);
            });
        });
    }
};

} // namespace

std::unique_ptr<Command> makeAgent()
{
    return std::make_unique<AgentCommand>();
}

} // namespace tokenkeeper::cli
