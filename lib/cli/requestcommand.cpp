#include "agent/agentclient.h"
#include "auth/tokenservice.h"
#include "commands.h"
#include "context.h"
#include "request/agenttokenprovider.h"
#include "request/apirequest.h"
#include "request/historyrecorder.h"
#include "request/requestrunner.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>

namespace tokenkeeper::cli {

namespace {

constexpr qint64 maxRequestBodyBytes = 64 * 1024 * 1024;
constexpr qint64 maxAnswerBytes = 256 * 1024 * 1024;

// `request NAME [-X METHOD] [-H 'K: V']... [-d DATA|@FILE|@-] [-i] [-v]
// [--allow-other-host] [--no-history] PATH_OR_URL`: the request tester on
// the command line. The request goes into the history the window shows (as
// the settings say: `tokenkeeper history --keep`) unless --no-history.
class RequestCommand final : public Command
{
public:
    RequestCommand()
        : m_method(QStringList {QStringLiteral("X"), QStringLiteral("request")}, {},
                   QStringLiteral("METHOD"))
        , m_header(QStringList {QStringLiteral("H"), QStringLiteral("header")}, {},
                   QStringLiteral("K: V"))
        , m_data(QStringList {QStringLiteral("d"), QStringLiteral("data")}, {},
                 QStringLiteral("DATA"))
        , m_include(QStringList {QStringLiteral("i"), QStringLiteral("include")})
        , m_verbose(QStringList {QStringLiteral("v"), QStringLiteral("verbose")})
        , m_otherHost(QStringLiteral("allow-other-host"))
        , m_noHistory(QStringLiteral("no-history"))
    {
        m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsCompactedShortOptions);
        m_parser.addOptions(
            {m_method, m_header, m_data, m_include, m_verbose, m_otherHost, m_noHistory});
    }

    void run(Context &cli, const QStringList &args) override
    {
        if (!m_parser.parse(QStringList {QStringLiteral("tokenkeeper")} + args)) {
            cli.usage(m_parser.errorText());
            return;
        }
        if (m_parser.positionalArguments().size() != 2) {
            cli.usage(QStringLiteral("`request` needs a NAME and a PATH_OR_URL"));
            return;
        }
        Profile profile;
        if (!cli.loadProfile(m_parser.positionalArguments().first(), profile)) {
            return;
        }
        const auto request = typedRequest(cli, profile);
        if (!request) {
            return;
        }
        if (cli.agent().agentRuns()) {
            send(cli, profile, *request, agentTokens(cli));
            return;
        }
        cli.workAlone(
            profile,
            [this, &cli, profile, request] { send(cli, profile, *request, cli.engine().tokens()); },
            [this, &cli, profile, request] { send(cli, profile, *request, agentTokens(cli)); });
    }

private:
    TokenProvider &agentTokens(Context &cli)
    {
        m_agentTokens = std::make_unique<AgentTokenProvider>(cli.agent(), cli.agentTimeoutMs());
        return *m_agentTokens;
    }

    void send(Context &cli, const Profile &profile, const ApiRequest &request,
              TokenProvider &tokens)
    {
        m_runner = cli.engine().newRequestRunner(tokens, maxAnswerBytes);
        const bool verbose = m_parser.isSet(m_verbose);
        m_runner->send(
            profile, request, &cli,
            [&cli, verbose](const RequestStep &step) {
                if (verbose) {
                    cli.err() << "* " << step.text << '\n';
                    cli.err().flush();
                }
            },
            [this, &cli, profile, request](RequestOutcome outcome) {
                if (m_parser.isSet(m_noHistory)) {
                    conclude(cli, profile, outcome);
                    return;
                }
                recordRequest(
                    cli.engine().history(), *cli.engine().tokens().secretStore(), profile, request,
                    outcome, &cli, [this, &cli, profile, outcome](const Result<void> &kept) {
                        if (!kept) {
                            cli.err() << "tokenkeeper: " << kept.error().message() << '\n';
                        }
                        conclude(cli, profile, outcome);
                    });
            });
    }

    void conclude(Context &cli, const Profile &profile, const RequestOutcome &outcome) const
    {
        // An error wins over an earlier answer: after a 401 the renewal
        // failed (log in again) or the retry got no answer.
        if (outcome.error || !outcome.response) {
            cli.fail(outcome.error.value_or(
                         Error(Error::Kind::Network, QStringLiteral("The request failed."))),
                     profile.name);
            return;
        }
        printAnswer(cli, outcome);
    }

    // The request as typed, checked; nullopt when it is unusable (said).
    std::optional<ApiRequest> typedRequest(Context &cli, const Profile &profile) const
    {
        ApiRequest request;
        request.target = m_parser.positionalArguments().at(1);
        if (m_parser.isSet(m_data)) {
            const auto body = readBody(cli, m_parser.value(m_data));
            if (!body) {
                return std::nullopt;
            }
            request.body = *body;
            QJsonParseError error;
            QJsonDocument::fromJson(request.body, &error);
            request.contentType = error.error == QJsonParseError::NoError
                ? QStringLiteral("application/json")
                : QStringLiteral("application/x-www-form-urlencoded");
        }
        request.method = m_parser.isSet(m_method)
            ? m_parser.value(m_method).toUpper().toLatin1()
            : (m_parser.isSet(m_data) ? QByteArrayLiteral("POST") : QByteArrayLiteral("GET"));
        if (const QString why = checkMethod(request.method); !why.isEmpty()) {
            cli.usage(why);
            return std::nullopt;
        }
        for (const QString &line : m_parser.values(m_header)) {
            const auto parsed = parseHeaderLine(line);
            if (!parsed) {
                cli.usage(QStringLiteral("-H takes \"Name: value\""));
                return std::nullopt;
            }
            if (const QString why = checkHeader(parsed->first, parsed->second); !why.isEmpty()) {
                cli.usage(why);
                return std::nullopt;
            }
            request.headers.append(*parsed);
        }
        const Result<QUrl> url = resolveTarget(profile.baseUrl, request.target);
        if (!url) {
            cli.usage(url.error().message());
            return std::nullopt;
        }
        if (!sameServer(profile.baseUrl, *url) && !m_parser.isSet(m_otherHost)) {
            cli.usage(
                QStringLiteral("%1 is not on the server of \"%2\" (%3): the token would go "
                               "to another host. Add --allow-other-host to send it anyway.")
                    .arg(url->toDisplayString(QUrl::RemoveQuery | QUrl::RemovePath), profile.name,
                         profile.baseUrl.toDisplayString(QUrl::RemoveQuery | QUrl::RemovePath)));
            return std::nullopt;
        }
        return request;
    }

    // -d DATA, @FILE or @- (standard input).
    static std::optional<QByteArray> readBody(Context &cli, const QString &value)
    {
        if (!value.startsWith(u'@')) {
            return value.toUtf8();
        }
        QFile file;
        const QString path = value.mid(1);
        const bool opened = path == u"-" ? file.open(stdin, QIODevice::ReadOnly)
                                         : (file.setFileName(path), file.open(QIODevice::ReadOnly));
        if (!opened) {
            cli.usage(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
            return std::nullopt;
        }
        QByteArray body = file.read(maxRequestBodyBytes + 1);
        if (body.size() > maxRequestBodyBytes) {
            cli.usage(QStringLiteral("%1 is larger than %2 MiB")
                          .arg(path)
                          .arg(maxRequestBodyBytes >> 20));
            return std::nullopt;
        }
        return body;
    }

    void printAnswer(Context &cli, const RequestOutcome &outcome) const
    {
        const HttpResponse &response = *outcome.response;
        if (outcome.retried && !m_parser.isSet(m_verbose)) {
            cli.err() << "tokenkeeper: the server refused the token; it was renewed and the "
                         "request sent again\n";
        }
        cli.out().flush();
        QFile out;
        out.open(stdout, QIODevice::WriteOnly);
        if (m_parser.isSet(m_include)) {
            QByteArray head =
                "HTTP/1.1 " + RequestRunner::statusText(response.status).toUtf8() + "\r\n";
            for (const auto &[name, value] : response.headers) {
                head += name + ": " + value + "\r\n";
            }
            out.write(head + "\r\n");
        }
        out.write(response.body);
        out.flush();
        if (response.bodyCut) {
            cli.err() << "tokenkeeper: the answer is larger than " << (maxAnswerBytes >> 20)
                      << " MiB; only its start was printed\n";
        }
        if (outcome.succeeded()) {
            cli.done(Ok);
            return;
        }
        cli.err() << "tokenkeeper: " << RequestRunner::statusText(response.status);
        if (!outcome.reason.isEmpty()) {
            cli.err() << ": " << outcome.reason;
        }
        cli.err() << '\n';
        cli.done(HttpError);
    }

    QCommandLineParser m_parser;
    const QCommandLineOption m_method;
    const QCommandLineOption m_header;
    const QCommandLineOption m_data;
    const QCommandLineOption m_include;
    const QCommandLineOption m_verbose;
    const QCommandLineOption m_otherHost;
    const QCommandLineOption m_noHistory;
    std::unique_ptr<AgentTokenProvider> m_agentTokens;
    std::unique_ptr<RequestRunner> m_runner;
};

} // namespace

std::unique_ptr<Command> makeRequest()
{
    return std::make_unique<RequestCommand>();
}

} // namespace tokenkeeper::cli
