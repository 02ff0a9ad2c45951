#include "commands.h"
#include "context.h"
#include "request/requesthistory.h"
#include "settings/settingsstore.h"

#include <QCommandLineParser>

namespace tokenkeeper::cli {

namespace {

QString keepWords(RequestHistory::Keep keep)
{
    switch (keep) {
    case RequestHistory::Keep::Everything:
        return QStringLiteral("every request, its secrets redacted");
    case RequestHistory::Keep::WithoutBodies:
        return QStringLiteral("requests without their bodies, their secrets redacted");
    case RequestHistory::Keep::Nothing:
        return QStringLiteral("nothing");
    }
    return {};
}

// `history [--keep all|no-bodies|none]`: what the request history keeps,
// the same setting as the window's (the settings file).
class HistoryCommand final : public Command
{
public:
    HistoryCommand()
        : m_keep(QStringLiteral("keep"), {}, QStringLiteral("all|no-bodies|none"))
    {
        m_parser.addOption(m_keep);
    }

    void run(Context &cli, const QStringList &args) override
    {
        if (!m_parser.parse(QStringList {QStringLiteral("tokenkeeper")} + args)) {
            cli.usage(m_parser.errorText());
            return;
        }
        if (!m_parser.positionalArguments().isEmpty()) {
            cli.usage(QStringLiteral("`history` takes no NAME, only --keep"));
            return;
        }
        SettingsStore store(cli.options().settingsPath);
        if (m_parser.isSet(m_keep)) {
            const auto keep = RequestHistory::keepFromName(m_parser.value(m_keep));
            if (!keep) {
                cli.usage(QStringLiteral("--keep takes all, no-bodies or none"));
                return;
            }
            AppSettings settings = store.settings();
            settings.requestHistory = *keep;
            if (const Result<void> saved = store.save(settings); !saved) {
                cli.fail(saved.error());
                return;
            }
            if (const Result<void> applied = cli.engine().history().applyKeep(*keep); !applied) {
                cli.fail(applied.error());
                return;
            }
        }
        const RequestHistory::Keep keep = store.settings().requestHistory;
        cli.out() << "The request history " << cli.options().historyPath << " keeps "
                  << keepWords(keep) << " (" << RequestHistory::keepName(keep) << ").\n";
        cli.done(Ok);
    }

private:
    QCommandLineParser m_parser;
    const QCommandLineOption m_keep;
};

} // namespace

std::unique_ptr<Command> makeHistory()
{
    return std::make_unique<HistoryCommand>();
}

} // namespace tokenkeeper::cli
