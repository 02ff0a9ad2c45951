#include "commands.h"
#include "context.h"
#include "engine/profilemanager.h"
#include "terminal.h"

#include <QDateTime>
#include <QJsonObject>

namespace tokenkeeper::cli {

namespace {

// `login NAME [--remember-password]`: the secret from standard input or a
// no-echo prompt; a confidential client's secret on the second line.
class LoginCommand final : public Command
{
public:
    void run(Context &cli, const QStringList &args) override
    {
        QStringList positional = args;
        const bool remember = positional.removeAll(QStringLiteral("--remember-password")) > 0;
        if (positional.size() != 1 || positional.first().startsWith(u'-')) {
            cli.usage(QStringLiteral("`login` needs exactly one NAME (the secret comes from "
                                     "standard input, never from the arguments)"));
            return;
        }
        Profile profile;
        if (!cli.loadProfile(positional.first(), profile)) {
            return;
        }
        const Preset *preset = cli.engine().presets().find(profile.preset);
        if (!preset) {
            cli.fail(
                Error(Error::Kind::Usage,
                      QStringLiteral("The preset \"%1\" is not installed.").arg(profile.preset)));
            return;
        }
        if (remember && preset->secretKind != SecretKind::Password) {
            cli.usage(
                QStringLiteral("--remember-password is for presets that log in with a password"));
            return;
        }
        const auto secrets = readSecrets(cli, profile, *preset);
        if (!secrets) {
            return;
        }
        const bool noteNoRefresh = preset->secretKind == SecretKind::Password && !remember;
        const auto report = [&cli, profile, noteNoRefresh](const QDateTime &validUntil,
                                                           bool refreshTokenIssued) {
            cli.out() << "Logged in to \"" << profile.name << "\"; the access token is valid until "
                      << validUntil.toLocalTime().toString(Qt::ISODate) << ".\n";
            if (noteNoRefresh && !refreshTokenIssued) {
                cli.err() << "Note: the server gave no refresh token, so you will log in again "
                             "when this token expires (or log in with --remember-password).\n";
            }
            cli.done(Ok);
        };
        // Through a running agent (over its socket, which only this user
        // can reach): it holds the profile's newest secrets, and writing
        // behind its back would let its next write undo this login.
        cli.askAgent(
            {{QStringLiteral("cmd"), QStringLiteral("login")},
             {QStringLiteral("profile"), profile.name},
             {QStringLiteral("secret"), secrets->first},
             {QStringLiteral("client_secret"), secrets->second},
             {QStringLiteral("remember_password"), remember}},
            profile,
            [report](const QJsonObject &answer) {
                report(QDateTime::fromString(answer.value(QStringLiteral("expires_at")).toString(),
                                             Qt::ISODate),
                       answer.value(QStringLiteral("refresh_token_issued")).toBool());
            },
            [&cli, profile, remember, secrets = *secrets, report] {
                cli.deferInterrupts(); // what the server does, the keychain must hear
                cli.engine().profiles().logIn(
                    profile, secrets.first, remember, secrets.second, &cli,
                    [&cli, profile, report](Result<TokenSet> result) {
                        if (!result) {
                            cli.fail(result.error(), profile.name);
                            return;
                        }
                        report(result->expiresAt, !result->refreshToken.isEmpty());
                    });
            });
    }

private:
    // One secret; nullopt when there is none (said) or a SIGINT or SIGTERM
    // came at the prompt (the event loop then ends the command, the terminal
    // as it was).
    static std::optional<QString> readOne(Context &cli, const QString &prompt,
                                          const QString &missing)
    {
        const terminal::SecretRead read = terminal::readSecret(prompt);
        if (read.status == terminal::SecretRead::Status::Interrupted) {
            return std::nullopt;
        }
        if (read.status == terminal::SecretRead::Status::EndOfInput || read.secret.isEmpty()) {
            cli.usage(missing);
            return std::nullopt;
        }
        return read.secret;
    }

    // The secret and, for a confidential client whose preset's own secret is
    // something else, the client secret; nullopt when one is missing (said)
    // or the prompt was interrupted.
    static std::optional<std::pair<QString, QString>>
    readSecrets(Context &cli, const Profile &profile, const Preset &preset)
    {
        const QString label =
            preset.secretLabel.isEmpty() ? QStringLiteral("Secret") : preset.secretLabel;
        if (!preset.secretHint.isEmpty() && terminal::stdinIsTerminal()) {
            cli.err() << preset.secretHint << '\n';
            cli.err().flush();
        }
        const QString who = !profile.username.isEmpty() ? profile.username : profile.clientId;
        const QString prompt = who.isEmpty()
            ? QStringLiteral("%1 for %2: ").arg(label, profile.name)
            : QStringLiteral("%1 for %2 (%3): ").arg(label, who, profile.name);
        const auto secret = readOne(
            cli, prompt, QStringLiteral("no %1 given on standard input").arg(label.toLower()));
        if (!secret) {
            return std::nullopt;
        }
        QString clientSecret;
        if (profile.confidentialClient && preset.secretKind != SecretKind::ClientSecret) {
            const auto read = readOne(
                cli, QStringLiteral("Client secret for %1: ").arg(profile.clientId),
                QStringLiteral("no client secret given on standard input (the second line)"));
            if (!read) {
                return std::nullopt;
            }
            clientSecret = *read;
        }
        return std::pair {*secret, clientSecret};
    }
};

} // namespace

std::unique_ptr<Command> makeLogin()
{
    return std::make_unique<LoginCommand>();
}

} // namespace tokenkeeper::cli
