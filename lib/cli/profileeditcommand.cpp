#include "agent/agentclient.h"
#include "commands.h"
#include "context.h"
#include "engine/profilemanager.h"
#include "profileoptions.h"
#include "profiles/profilestore.h"

#include <QJsonObject>

namespace tokenkeeper::cli {

namespace {

// `profile edit NAME [--name NEW] [any option of profile add]`: what the
// options say changes, the rest stays; another server or account forgets the
// stored secrets first (ProfileManager::edit).
class ProfileEditCommand final : public Command
{
public:
    void run(Context &cli, const QStringList &args) override
    {
        ProfileOptions options(ProfileOptions::Mode::Edit);
        if (!options.parse(cli, args)) {
            return;
        }
        Profile before;
        if (!cli.loadProfile(options.name(), before)) {
            return;
        }
        ProfileForm form = ProfileForm::from(before);
        if (!options.applyTo(cli, form)) {
            return;
        }
        auto all = cli.engine().profileStore().load();
        if (!all) {
            cli.fail(all.error());
            return;
        }
        QStringList taken;
        for (const Profile &other : *all) {
            if (other.id != before.id) {
                taken.append(other.name);
            }
        }
        auto after = ProfileOptions::check(cli, form, taken);
        if (!after) {
            return;
        }
        after->id = before.id;
        if (*after == before) {
            cli.out() << "Nothing to change in \"" << before.name << "\".\n";
            cli.done(Ok);
            return;
        }
        const auto edit = [&cli, before, after = *after] {
            cli.engine().profiles().edit(
                before, after, &cli, [&cli](Result<ProfileManager::EditOutcome> edited) {
                    if (!edited) {
                        cli.fail(edited.error());
                        return;
                    }
                    const Profile &saved = edited->profile;
                    cli.out() << "Saved profile \"" << saved.name << "\".\n";
                    if (edited->secretsForgotten) {
                        cli.out() << "It now stands for another server or account, so its stored "
                                     "secrets were forgotten. Log in with: tokenkeeper login '"
                                  << saved.name << "'\n";
                    }
                    // A running agent drops what it had in memory for the profile.
                    cli.tellAgent({{QStringLiteral("cmd"), QStringLiteral("reload")},
                                   {QStringLiteral("profile"), saved.id}},
                                  [&cli] { cli.done(Ok); });
                });
        };
        // Nobody may renew with the old secrets meanwhile, nor write them
        // back: under the profile's lock the secrets go, and a running agent
        // forgets what it holds of them (a rotation it could not store
        // included) when told to reload, before its next turn with the lock.
        cli.lockProfile(before, edit);
    }
};

} // namespace

std::unique_ptr<Command> makeProfileEdit()
{
    return std::make_unique<ProfileEditCommand>();
}

} // namespace tokenkeeper::cli
