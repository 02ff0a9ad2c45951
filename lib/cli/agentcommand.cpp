#include "agent/agent.h"
#include "commands.h"
#include "context.h"
#include "platform/signalwatcher.h"
#include "scheduler/refreshscheduler.h"

#include <csignal>

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
        auto *signals = new SignalWatcher({SIGINT, SIGTERM}, &cli);
        auto *agent = new Agent(cli.engine(), {}, &cli);
        if (auto started = agent->start(); !started) {
            cli.fail(started.error());
            return;
        }
        const qsizetype count = cli.engine().scheduler().profiles().size();
        cli.err() << "tokenkeeper agent: keeping " << count
                  << (count == 1 ? " profile" : " profiles") << " fresh; listening on "
                  << agent->socketPath() << '\n';
        cli.err().flush();
        QObject::connect(signals, &SignalWatcher::received, &cli,
                         [&cli, agent](int) { agent->stop(1500, [&cli] { cli.done(Ok); }); });
    }
};

} // namespace

std::unique_ptr<Command> makeAgent()
{
    return std::make_unique<AgentCommand>();
}

} // namespace tokenkeeper::cli
