#include "commands.h"
#include "context.h"

#include <QJsonDocument>

namespace tokenkeeper::cli {

namespace {

// `profile show NAME [--json]`
class ProfileShowCommand final : public Command
{
public:
    void run(Context &cli, const QStringList &args) override
    {
        QStringList positional = args;
        const bool json = positional.removeAll(QStringLiteral("--json")) > 0;
        if (positional.size() != 1) {
            cli.usage(QStringLiteral("`profile show` needs exactly one NAME"));
            return;
        }
        Profile profile;
        if (!cli.loadProfile(positional.first(), profile)) {
            return;
        }
        QTextStream &out = cli.out();
        if (json) {
            out << QJsonDocument(profile.toJson()).toJson(QJsonDocument::Indented);
            cli.done(Ok);
            return;
        }
        const Preset *preset = cli.engine().presets().find(profile.preset);
        out << "Name:       " << profile.name << '\n'
            << "Preset:     " << profile.preset
            << (preset ? QStringLiteral(" (%1)").arg(preset->name) : QStringLiteral(" (missing!)"))
            << '\n'
            << "URL:        " << profile.baseUrl.toString() << '\n';
        if (!profile.username.isEmpty()) {
            out << "Username:   " << profile.username << '\n';
        }
        if (!profile.clientId.isEmpty()) {
            out << "Client ID:  " << profile.clientId
                << (profile.confidentialClient ? " (confidential: its secret is in the keychain)"
                                               : "")
                << '\n';
        }
        if (!profile.scope.isEmpty()) {
            out << "Scope:      " << profile.scope << '\n';
        }
        if (!profile.tokenUrl.isEmpty()) {
            out << "Token URL:  " << profile.tokenUrl.toString() << '\n';
        }
        if (profile.lifetimeSeconds > 0) {
            out << "Lifetime:   " << profile.lifetimeSeconds << " s\n";
        }
        for (auto it = profile.params.begin(); it != profile.params.end(); ++it) {
            out << "Param:      " << it.key() << '=' << it.value() << '\n';
        }
        out << "Id:         " << profile.id << '\n';
        cli.done(Ok);
    }
};

} // namespace

std::unique_ptr<Command> makeProfileShow()
{
    return std::make_unique<ProfileShowCommand>();
}

} // namespace tokenkeeper::cli
