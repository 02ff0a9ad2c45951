#include "agent/agentprotocol.h"
#include "auth/tokenservice.h"
#include "commands.h"
#include "context.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>

namespace tokenkeeper::cli {

namespace {

enum class Output { Token, Header, Json };

void printToken(Context &cli, const QJsonObject &token, Output output)
{
    const QString access = token.value(QStringLiteral("access_token")).toString();
    // The renewal failed for a passing reason; the token in hand still works.
    if (const QString warning = token.value(QStringLiteral("warning")).toString();
        !warning.isEmpty()) {
        cli.err() << "tokenkeeper: " << warning << '\n';
    }
    switch (output) {
    case Output::Header:
        cli.out() << "Authorization: Bearer " << access << '\n';
        break;
    case Output::Json: {
        QJsonObject object = token;
        object.remove(QStringLiteral("id"));
        object.remove(QStringLiteral("ok"));
        cli.out() << QJsonDocument(object).toJson(QJsonDocument::Compact) << '\n';
        break;
    }
    case Output::Token:
        cli.out() << access << '\n';
        break;
    }
    cli.done(Ok);
}

// A token valid for `minValid` more seconds (TokenProvider::forceRenewal: a new
// one), from the agent when one runs, else from this process.
void obtain(Context &cli, const Profile &profile, const QString &command, int minValid,
            Output output)
{
    QJsonObject request {{QStringLiteral("cmd"), command},
                         {QStringLiteral("profile"), profile.name}};
    if (minValid != TokenProvider::forceRenewal) {
        request.insert(QStringLiteral("min_valid"), minValid);
    }
    cli.askAgent(
        request, profile,
        [&cli, output](const QJsonObject &answer) { printToken(cli, answer, output); },
        [&cli, profile, minValid, output] {
            const auto print = [&cli, profile, output](Result<TokenSet> result) {
                if (!result) {
                    cli.fail(result.error(), profile.name);
                    return;
                }
                printToken(
                    cli,
                    agentprotocol::tokenAnswer(profile.name, *result, cli.engine().clock().now()),
                    output);
            };
            // `token` and `header` take a still-valid token whose renewal
            // failed for a passing reason; `refresh` asked for a new one.
            TokenService &tokens = cli.engine().tokens();
            if (minValid == TokenProvider::forceRenewal) {
                tokens.token(profile, minValid, &cli, print);
            } else {
                tokens.tokenForUse(profile, minValid, &cli, print);
            }
        });
}

// `token NAME [--min-valid SECONDS] [--json]` and `header NAME [--min-valid SECONDS]`.
class TokenCommand final : public Command
{
public:
    explicit TokenCommand(bool header)
        : m_header(header)
    { }

    void run(Context &cli, const QStringList &args) override
    {
        QCommandLineParser parser;
        const QCommandLineOption minValid(QStringLiteral("min-valid"), {},
                                          QStringLiteral("SECONDS"), QStringLiteral("30"));
        const QCommandLineOption json(QStringLiteral("json"));
        parser.addOption(minValid);
        if (!m_header) {
            parser.addOption(json);
        }
        if (!parser.parse(QStringList {QStringLiteral("tokenkeeper")} + args)) {
            cli.usage(parser.errorText());
            return;
        }
        const QString name = m_header ? QStringLiteral("header") : QStringLiteral("token");
        if (parser.positionalArguments().size() != 1) {
            cli.usage(QStringLiteral("`%1` needs exactly one NAME").arg(name));
            return;
        }
        bool ok = false;
        const int seconds = parser.value(minValid).toInt(&ok);
        if (!ok || seconds < 0 || seconds > 365 * 24 * 3600) {
            cli.usage(QStringLiteral("--min-valid takes a number of seconds"));
            return;
        }
        Profile profile;
        if (!cli.loadProfile(parser.positionalArguments().first(), profile)) {
            return;
        }
        const Output output =
            m_header ? Output::Header : (parser.isSet(json) ? Output::Json : Output::Token);
        obtain(cli, profile, QStringLiteral("token"), seconds, output);
    }

private:
    bool m_header;
};

// `refresh NAME`: a new token now (after the server refused the last one).
class RefreshCommand final : public Command
{
public:
    void run(Context &cli, const QStringList &args) override
    {
        if (args.size() != 1) {
            cli.usage(QStringLiteral("`refresh` needs exactly one NAME"));
            return;
        }
        Profile profile;
        if (!cli.loadProfile(args.first(), profile)) {
            return;
        }
        obtain(cli, profile, QStringLiteral("refresh"), TokenProvider::forceRenewal, Output::Token);
    }
};

} // namespace

std::unique_ptr<Command> makeToken()
{
    return std::make_unique<TokenCommand>(false);
}

std::unique_ptr<Command> makeHeader()
{
    return std::make_unique<TokenCommand>(true);
}

std::unique_ptr<Command> makeRefresh()
{
    return std::make_unique<RefreshCommand>();
}

} // namespace tokenkeeper::cli
