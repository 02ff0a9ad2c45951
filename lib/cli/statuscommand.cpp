#include "agent/agentclient.h"
#include "commands.h"
#include "context.h"
#include "profiles/profilestore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tokenkeeper::cli {

namespace {

// `status [--json]`: the agent's view of every profile, or, with no agent,
// only what the profiles file says.
class StatusCommand final : public Command
{
public:
    void run(Context &cli, const QStringList &args) override
    {
        const bool json = args.contains(QStringLiteral("--json"));
        if (args.size() > (json ? 1 : 0)) {
            cli.usage(QStringLiteral("`status` takes only --json"));
            return;
        }
        cli.agent().request({{QStringLiteral("cmd"), QStringLiteral("status")}}, 10'000,
                            [&cli, json](std::optional<Result<QJsonObject>> answer) {
                                if (answer && !*answer) {
                                    cli.fail(answer->error());
                                    return;
                                }
                                QJsonArray profiles;
                                if (answer) {
                                    profiles =
                                        answer->value().value(QStringLiteral("profiles")).toArray();
                                } else {
                                    auto loaded = cli.engine().profileStore().load();
                                    if (!loaded) {
                                        cli.fail(loaded.error());
                                        return;
                                    }
                                    for (const Profile &profile : *loaded) {
                                        profiles.append(QJsonObject {
                                            {QStringLiteral("name"), profile.name},
                                            {QStringLiteral("preset"), profile.preset},
                                            {QStringLiteral("id"), profile.id},
                                            {QStringLiteral("state"), QStringLiteral("unknown")}});
                                    }
                                }
                                const bool locked = answer
                                    && answer->value().value(QStringLiteral("locked")).toBool();
                                print(cli, profiles, answer.has_value(), locked, json);
                            });
    }

private:
    static void print(Context &cli, const QJsonArray &profiles, bool agentRuns, bool locked,
                      bool json)
    {
        QTextStream &out = cli.out();
        if (json) {
            out << QJsonDocument(QJsonObject {{QStringLiteral("agent"), agentRuns},
                                              {QStringLiteral("locked"), locked},
                                              {QStringLiteral("profiles"), profiles}})
                       .toJson(QJsonDocument::Indented);
            cli.done(Ok);
            return;
        }
        if (!agentRuns) {
            out << "No agent runs (start one with `tokenkeeper agent`): states are unknown.\n";
        }
        if (locked) {
            out << "Locked (`tokenkeeper lock`): no token is in memory and nothing is renewed "
                   "until the next use reads the keychain.\n";
        }
        const QDateTime now = cli.engine().clock().now();
        qsizetype width = 4;
        for (const QJsonValue &value : profiles) {
            width = qMax(width, value.toObject().value(QStringLiteral("name")).toString().size());
        }
        out << QStringLiteral("NAME").leftJustified(width + 2)
            << QStringLiteral("STATE").leftJustified(16) << "DETAIL\n";
        for (const QJsonValue &value : profiles) {
            const QJsonObject profile = value.toObject();
            const QString state = profile.value(QStringLiteral("state")).toString();
            out << profile.value(QStringLiteral("name")).toString().leftJustified(width + 2)
                << state.leftJustified(16) << detail(profile, state, now) << '\n';
        }
        cli.done(Ok);
    }

    static QString detail(const QJsonObject &profile, const QString &state, const QDateTime &now)
    {
        const auto secondsUntil = [&profile, &now](const QString &key) {
            const QDateTime when =
                QDateTime::fromString(profile.value(key).toString(), Qt::ISODate);
            return when.isValid() ? now.secsTo(when) : qint64(0);
        };
        if (state == u"valid" || state == u"refreshing") {
            return QStringLiteral("expires in %1 s")
                .arg(secondsUntil(QStringLiteral("valid_until")));
        }
        if (state == u"backing-off") {
            return QStringLiteral("next try in %1 s: %2")
                .arg(secondsUntil(QStringLiteral("next_refresh")))
                .arg(profile.value(QStringLiteral("reason")).toString());
        }
        if (state == u"login-required") {
            return profile.value(QStringLiteral("reason")).toString();
        }
        return {};
    }
};

} // namespace

std::unique_ptr<Command> makeStatus()
{
    return std::make_unique<StatusCommand>();
}

} // namespace tokenkeeper::cli
