#include "commandline.h"

#include "command.h"
#include "context.h"

#include <QLoggingCategory>

namespace tokenkeeper {

namespace {

const QString intro = QStringLiteral(R"(Usage: tokenkeeper COMMAND [OPTIONS]

Keeps access tokens for your API servers fresh; long-lived secrets live in the
OS keychain only.
)");

const QString outro = QStringLiteral(R"(
URL is the server's base (e.g. http://127.0.0.1:8080); the preset knows the
paths. URLs are https:// (plain http:// only to this machine). A profile
edited by hand into a state these commands refuse (its id, a copied id, a
URL) is refused alone: exit 1, naming the file and the profile. Secrets are
never taken as arguments. TOKENKEEPER_DEBUG=1 adds the
engine's log lines to standard error (the agent always logs).

Exit codes: 0 ok, 1 profiles file unusable, 2 usage error, 3 login required,
            4 server or network failure, 5 keychain unavailable,
            6 the server answered a request with 4xx or 5xx (after the retry),
            130 SIGINT, 143 SIGTERM (a renewal, login or logout under way
            is finished and stored first).
)");

// The command named by the first words of `args` ("profile add" before
// "profile"), or null.
const cli::CommandSpec *findCommand(const QStringList &args, qsizetype *words)
{
    const cli::CommandSpec *found = nullptr;
    for (const cli::CommandSpec &spec : cli::commandTable()) {
        const QStringList name = spec.name.split(u' ');
        if (name.size() <= args.size() && args.mid(0, name.size()) == name
            && (!found || name.size() > *words)) {
            found = &spec;
            *words = name.size();
        }
    }
    return found;
}

// "add, edit, list, show or remove" for `group` ("profile"); empty if it is none.
QString subcommandsOf(const QString &group)
{
    QStringList subs;
    for (const cli::CommandSpec &spec : cli::commandTable()) {
        if (spec.name.startsWith(group + u' ')) {
            subs.append(spec.name.mid(group.size() + 1));
        }
    }
    if (subs.isEmpty()) {
        return {};
    }
    const QString last = subs.takeLast();
    return subs.join(QStringLiteral(", ")) + QStringLiteral(" or ") + last;
}

} // namespace

CommandLine::CommandLine(QStringList arguments, EngineOptions options, QObject *parent)
    : QObject(parent)
    , m_arguments(std::move(arguments))
    , m_context(std::make_unique<cli::Context>(std::move(options)))
{
    connect(m_context.get(), &cli::Context::finished, this, &CommandLine::finished);
}

CommandLine::~CommandLine() = default;

QString CommandLine::helpText()
{
    QString text = intro;
    QString section;
    for (const cli::CommandSpec &spec : cli::commandTable()) {
        if (spec.section != section) {
            section = spec.section;
            text += u'\n' + section + QStringLiteral(":\n");
        }
        text += spec.help;
    }
    return text + outro;
}

void CommandLine::interrupt(int signalNumber)
{
    m_context->interrupt(signalNumber);
}

void CommandLine::start()
{
    const QStringList args = m_arguments.mid(1);
    if (args.isEmpty() || args.first() == u"--help" || args.first() == u"-h"
        || args.first() == u"help") {
        m_context->out() << helpText();
        m_context->done(args.isEmpty() ? cli::UsageError : cli::Ok);
        return;
    }
    if (args.first() == u"--version") {
        m_context->out() << "tokenkeeper " << TOKENKEEPER_VERSION << '\n';
        m_context->done(cli::Ok);
        return;
    }
    qsizetype words = 0;
    const cli::CommandSpec *spec = findCommand(args, &words);
    if (!spec) {
        const QString group = args.first();
        const bool isGroup = !subcommandsOf(group).isEmpty();
        if (isGroup) {
            m_context->usage(
                args.size() == 1
                    ? QStringLiteral("`%1` needs %2").arg(group, subcommandsOf(group))
                    : QStringLiteral("unknown %1 command \"%2\"").arg(group, args.at(1)));
        } else {
            m_context->usage(QStringLiteral("unknown command \"%1\"").arg(group));
        }
        return;
    }
    // A short command's one message on stderr says what went wrong; the
    // engine's log lines stay out of it unless asked for (the agent, a daemon,
    // keeps its log).
    if (spec->name != u"agent" && qEnvironmentVariableIsEmpty("TOKENKEEPER_DEBUG")) {
        QLoggingCategory::setFilterRules(QStringLiteral("tokenkeeper.*=false"));
    }
    m_command = spec->make();
    m_command->run(*m_context, args.mid(words));
}

} // namespace tokenkeeper
