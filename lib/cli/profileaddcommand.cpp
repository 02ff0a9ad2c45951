#include "commands.h"
#include "context.h"
#include "engine/profilemanager.h"
#include "profileoptions.h"

namespace tokenkeeper::cli {

namespace {

// `profile add NAME --preset P --url URL [...]`
class ProfileAddCommand final : public Command
{
public:
    void run(Context &cli, const QStringList &args) override
    {
        ProfileOptions options(ProfileOptions::Mode::Add);
        ProfileForm form;
        if (!options.parse(cli, args) || !options.applyTo(cli, form)) {
            return;
        }
        // The store checks that the name is free.
        const auto profile = ProfileOptions::check(cli, form, {});
        if (!profile) {
            return;
        }
        auto added = cli.engine().profiles().add(*profile);
        if (!added) {
            cli.fail(added.error());
            return;
        }
        const Preset *preset = cli.engine().presets().find(added->preset);
        cli.out() << "Added profile \"" << added->name << "\" (" << preset->name
                  << "). Log in with: tokenkeeper login '" << added->name << "'\n";
        cli.done(Ok);
    }
};

} // namespace

std::unique_ptr<Command> makeProfileAdd()
{
    return std::make_unique<ProfileAddCommand>();
}

} // namespace tokenkeeper::cli
