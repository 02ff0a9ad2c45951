#include "commandline.h"

#include "agent/agent.h"
#include "agent/agentclient.h"
#include "agent/agentprotocol.h"
#include "auth/authclient.h"
#include "auth/tokenservice.h"
#include "net/httpclient.h"
#include "platform/signalwatcher.h"
#include "profiles/profilestore.h"
#include "profiles/profilevalidator.h"
#include "request/agenttokenprovider.h"
#include "request/apirequest.h"
#include "request/requestrunner.h"
#include "request/servicetokenprovider.h"
#include "scheduler/refreshscheduler.h"
#include "secrets/keychainsecretstore.h"
#include "terminal.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QNetworkAccessManager>
#include <QTimer>

#include <csignal>
#include <cstdio>

namespace tokenkeeper {

namespace {

constexpr qint64 maxRequestBodyBytes = 64 * 1024 * 1024;
constexpr qint64 maxAnswerBytes = 256 * 1024 * 1024;

const QString helpText = QStringLiteral(R"(Usage: tokenkeeper COMMAND [OPTIONS]

Keeps access tokens for your API servers fresh; long-lived secrets live in the
OS keychain only.

Profiles:
  profile add NAME --preset P --url URL [--username U] [--client-id ID]
                   [--scope S] [--token-url URL] [--lifetime SECONDS]
                   [--client-auth basic|body] [--confidential-client]
                   [--param KEY=VALUE]...
        --confidential-client: the OAuth client has a secret, which login
        reads after the password or token (the second line of standard input)
  profile list [--json]
  profile show NAME [--json]
  profile remove NAME          also forgets the profile's secrets
  presets [--json]             the installed presets (built-in and your own)

Sessions:
  login NAME [--remember-password]
        reads the password, client secret or user token from the first line
        of standard input when it is not a terminal, else asks without echo
  logout NAME                  forgets the secrets; ends the server session
                               where the server has one (Sensu)
  token NAME [--min-valid SECONDS] [--json]
        prints a valid access token alone on a line, refreshing it when it is
        missing, expired or would expire within SECONDS (default 30)
  header NAME [--min-valid SECONDS]
        prints "Authorization: Bearer <token>"
  refresh NAME                 renews the token now (after the server refused it)
  status [--json]              every profile's state, expiry and last error

Requests:
  request NAME [-X METHOD] [-H 'K: V']... [-d DATA|@FILE|@-] [-i] [-v]
          [--allow-other-host] PATH_OR_URL
        sends a request with the profile's token; PATH is relative to the
        profile's URL. A 401 renews the token once and sends it again.
        The body goes to stdout; -i adds the status line and headers, -v
        tells on stderr what happened. -d sends DATA (from FILE, or standard
        input) as POST unless -X says otherwise, as application/json when it
        is JSON, else form-encoded, unless -H sets Content-Type. A URL on
        another host than the profile's is refused (the token would go
        there) unless --allow-other-host.

The agent:
  agent         keeps every token fresh in the background until SIGTERM or
                SIGINT; token, header, refresh, status and logout ask it first
                and answer at once from memory. One agent per user session.

URL is the server's base (e.g. http://127.0.0.1:8080); the preset knows the
paths. Secrets are never taken as arguments.

Exit codes: 0 ok, 1 profiles file unusable, 2 usage error, 3 login required,
            4 server or network failure, 5 keychain unavailable,
            6 the server answered a request with 4xx or 5xx (after the retry).
)");

} // namespace

CommandLine::CommandLine(QStringList arguments, Setup setup, QObject *parent)
    : QObject(parent)
    , m_arguments(std::move(arguments))
    , m_setup(std::move(setup))
    , m_out(stdout)
    , m_err(stderr)
    , m_store(std::make_unique<ProfileStore>(m_setup.profilesPath))
{ }

CommandLine::~CommandLine() = default;

int CommandLine::exitCodeFor(Error::Kind kind)
{
    switch (kind) {
    case Error::Kind::Usage:
        return UsageError;
    case Error::Kind::NotLoggedIn:
    case Error::Kind::LoginRequired:
        return LoginRequired;
    case Error::Kind::Network:
    case Error::Kind::Tls:
    case Error::Kind::Server:
    case Error::Kind::Request:
    case Error::Kind::MalformedResponse:
        return ServerFailure;
    case Error::Kind::Keychain:
        return KeychainUnavailable;
    case Error::Kind::Storage:
        return StorageFailure;
    }
    return StorageFailure;
}

void CommandLine::done(int code)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_out.flush();
    m_err.flush();
    Q_EMIT finished(code);
}

void CommandLine::fail(const Error &error, const QString &profileName)
{
    m_err << "tokenkeeper: " << error.message() << '\n';
    if ((error.kind() == Error::Kind::LoginRequired || error.kind() == Error::Kind::NotLoggedIn)
        && !profileName.isEmpty()) {
        m_err << "Log in with: tokenkeeper login '" << profileName << "'\n";
    }
    done(exitCodeFor(error.kind()));
}

int CommandLine::usage(const QString &message)
{
    m_err << "tokenkeeper: " << message << "\nRun `tokenkeeper --help` for usage.\n";
    done(UsageError);
    return UsageError;
}

TokenService &CommandLine::tokens()
{
    if (!m_tokens) {
        m_nam = new QNetworkAccessManager(this);
        m_http = new HttpClient(m_nam, {m_setup.httpTimeoutMs, 1024 * 1024}, this);
        m_auth = new AuthClient(m_http, m_clock, this);
        m_secrets =
            new KeychainSecretStore(m_setup.keychainService, m_setup.keychainTimeoutMs, this);
        m_tokens = new TokenService(m_auth, m_secrets, m_presets, m_clock, this);
    }
    return *m_tokens;
}

void CommandLine::start()
{
    m_presets = PresetRegistry::load(m_setup.presetsDirectory);
    QStringList args = m_arguments.mid(1);
    if (args.isEmpty() || args.first() == u"--help" || args.first() == u"-h"
        || args.first() == u"help") {
        printHelp();
        done(args.isEmpty() ? UsageError : Ok);
        return;
    }
    if (args.first() == u"--version") {
        m_out << "tokenkeeper " << TOKENKEEPER_VERSION << '\n';
        done(Ok);
        return;
    }
    const QString command = args.takeFirst();
    if (command == u"profile") {
        profileCommand(args);
    } else if (command == u"presets") {
        presetsCommand(args);
    } else if (command == u"login") {
        loginCommand(args);
    } else if (command == u"logout") {
        logoutCommand(args);
    } else if (command == u"token") {
        tokenCommand(args, false);
    } else if (command == u"header") {
        tokenCommand(args, true);
    } else if (command == u"refresh") {
        refreshCommand(args);
    } else if (command == u"status") {
        statusCommand(args);
    } else if (command == u"agent") {
        agentCommand(args);
    } else if (command == u"request") {
        requestCommand(args);
    } else {
        usage(QStringLiteral("unknown command \"%1\"").arg(command));
    }
}

void CommandLine::printHelp()
{
    m_out << helpText;
}

bool CommandLine::loadProfile(const QString &name, Profile &into)
{
    auto profile = m_store->find(name);
    if (!profile) {
        fail(profile.error());
        return false;
    }
    into = *profile;
    return true;
}

void CommandLine::profileCommand(const QStringList &args)
{
    if (args.isEmpty()) {
        usage(QStringLiteral("`profile` needs add, list, show or remove"));
        return;
    }
    const QString sub = args.first();
    const QStringList rest = args.mid(1);
    if (sub == u"add") {
        profileAdd(rest);
    } else if (sub == u"list") {
        profileList(rest);
    } else if (sub == u"show") {
        profileShow(rest);
    } else if (sub == u"remove") {
        profileRemove(rest);
    } else {
        usage(QStringLiteral("unknown profile command \"%1\"").arg(sub));
    }
}

void CommandLine::profileAdd(const QStringList &args)
{
    QCommandLineParser parser;
    const QCommandLineOption preset(QStringLiteral("preset"), {}, QStringLiteral("P"));
    const QCommandLineOption url(QStringLiteral("url"), {}, QStringLiteral("URL"));
    const QCommandLineOption username(QStringLiteral("username"), {}, QStringLiteral("U"));
    const QCommandLineOption clientId(QStringLiteral("client-id"), {}, QStringLiteral("ID"));
    const QCommandLineOption scope(QStringLiteral("scope"), {}, QStringLiteral("S"));
    const QCommandLineOption tokenUrl(QStringLiteral("token-url"), {}, QStringLiteral("URL"));
    const QCommandLineOption lifetime(QStringLiteral("lifetime"), {}, QStringLiteral("SECONDS"));
    const QCommandLineOption clientAuth(QStringLiteral("client-auth"), {}, QStringLiteral("HOW"));
    const QCommandLineOption param(QStringLiteral("param"), {}, QStringLiteral("KEY=VALUE"));
    const QCommandLineOption remember(QStringLiteral("remember-password"));
    const QCommandLineOption confidential(QStringLiteral("confidential-client"));
    parser.addOptions({preset, url, username, clientId, scope, tokenUrl, lifetime, clientAuth,
                       param, remember, confidential});
    if (!parser.parse(QStringList {QStringLiteral("tokenkeeper")} + args)) {
        usage(parser.errorText());
        return;
    }
    if (parser.positionalArguments().size() != 1) {
        usage(QStringLiteral("`profile add` needs exactly one NAME"));
        return;
    }
    ProfileForm form;
    form.name = parser.positionalArguments().first();
    if (const QString problem = Profile::checkName(form.name); !problem.isEmpty()) {
        usage(problem);
        return;
    }
    if (!parser.isSet(preset) || !parser.isSet(url)) {
        usage(QStringLiteral("`profile add` needs --preset and --url"));
        return;
    }
    form.preset = parser.value(preset);
    form.baseUrl = parser.value(url);
    form.username = parser.value(username);
    form.clientId = parser.value(clientId);
    form.scope = parser.value(scope);
    form.tokenUrl = parser.value(tokenUrl);
    form.lifetime = parser.value(lifetime);
    form.clientAuth = parser.value(clientAuth);
    for (const QString &pair : parser.values(param)) {
        const qsizetype equals = pair.indexOf(u'=');
        if (equals <= 0) {
            usage(QStringLiteral("--param takes KEY=VALUE"));
            return;
        }
        form.params.insert(pair.left(equals), pair.mid(equals + 1));
    }
    form.rememberPassword = parser.isSet(remember);
    form.confidentialClient = parser.isSet(confidential);
    if ((parser.isSet(tokenUrl) && form.tokenUrl.isEmpty())
        || (parser.isSet(lifetime) && form.lifetime.isEmpty())) {
        usage(QStringLiteral("--token-url and --lifetime cannot be empty"));
        return;
    }

    // The same rules as the desktop editor's; the store checks the name is free.
    using Field = ProfileValidator::Field;
    const QMap<Field, QString> options {
        {Field::BaseUrl, QStringLiteral("--url")},
        {Field::Username, QStringLiteral("--username")},
        {Field::ClientId, QStringLiteral("--client-id")},
        {Field::ConfidentialClient, QStringLiteral("--confidential-client")},
        {Field::Scope, QStringLiteral("--scope")},
        {Field::TokenUrl, QStringLiteral("--token-url")},
        {Field::Lifetime, QStringLiteral("--lifetime")},
        {Field::ClientAuth, QStringLiteral("--client-auth")},
        {Field::Param, QStringLiteral("--param")},
    };
    const QList<ProfileValidator::Problem> problems = ProfileValidator(m_presets).check(form);
    if (!problems.isEmpty()) {
        const ProfileValidator::Problem &first = problems.first();
        const QString option = options.value(first.field);
        usage(option.isEmpty() ? first.message : option + QStringLiteral(": ") + first.message);
        return;
    }
    auto profile = ProfileValidator(m_presets).toProfile(form);
    if (!profile) {
        fail(profile.error());
        return;
    }
    const Preset *chosen = m_presets.find(profile->preset);
    auto added = m_store->add(*profile);
    if (!added) {
        fail(added.error());
        return;
    }
    m_out << "Added profile \"" << added->name << "\" (" << chosen->name << "). Log in with: "
          << "tokenkeeper login '" << added->name << "'\n";
    done(Ok);
}

void CommandLine::profileList(const QStringList &args)
{
    const bool json = args.contains(QStringLiteral("--json"));
    if (args.size() > (json ? 1 : 0)) {
        usage(QStringLiteral("`profile list` takes only --json"));
        return;
    }
    auto profiles = m_store->load();
    if (!profiles) {
        fail(profiles.error());
        return;
    }
    if (json) {
        QJsonArray array;
        for (const Profile &profile : *profiles) {
            array.append(profile.toJson());
        }
        m_out << QJsonDocument(array).toJson(QJsonDocument::Indented);
        done(Ok);
        return;
    }
    if (profiles->isEmpty()) {
        m_out << "No profiles yet. Add one with: tokenkeeper profile add NAME --preset P --url "
                 "URL\n";
        done(Ok);
        return;
    }
    qsizetype nameWidth = 4;
    qsizetype presetWidth = 6;
    for (const Profile &profile : *profiles) {
        nameWidth = qMax(nameWidth, profile.name.size());
        presetWidth = qMax(presetWidth, profile.preset.size());
    }
    m_out << QStringLiteral("NAME").leftJustified(nameWidth + 2)
          << QStringLiteral("PRESET").leftJustified(presetWidth + 2) << "URL\n";
    for (const Profile &profile : *profiles) {
        m_out << profile.name.leftJustified(nameWidth + 2)
              << profile.preset.leftJustified(presetWidth + 2) << profile.baseUrl.toString()
              << '\n';
    }
    done(Ok);
}

void CommandLine::profileShow(const QStringList &args)
{
    QStringList positional = args;
    const bool json = positional.removeAll(QStringLiteral("--json")) > 0;
    if (positional.size() != 1) {
        usage(QStringLiteral("`profile show` needs exactly one NAME"));
        return;
    }
    Profile profile;
    if (!loadProfile(positional.first(), profile)) {
        return;
    }
    if (json) {
        m_out << QJsonDocument(profile.toJson()).toJson(QJsonDocument::Indented);
        done(Ok);
        return;
    }
    const Preset *preset = m_presets.find(profile.preset);
    m_out << "Name:       " << profile.name << '\n'
          << "Preset:     " << profile.preset
          << (preset ? QStringLiteral(" (%1)").arg(preset->name) : QStringLiteral(" (missing!)"))
          << '\n'
          << "URL:        " << profile.baseUrl.toString() << '\n';
    if (!profile.username.isEmpty()) {
        m_out << "Username:   " << profile.username << '\n';
    }
    if (!profile.clientId.isEmpty()) {
        m_out << "Client ID:  " << profile.clientId
              << (profile.confidentialClient ? " (confidential: its secret is in the keychain)"
                                             : "")
              << '\n';
    }
    if (!profile.scope.isEmpty()) {
        m_out << "Scope:      " << profile.scope << '\n';
    }
    if (!profile.tokenUrl.isEmpty()) {
        m_out << "Token URL:  " << profile.tokenUrl.toString() << '\n';
    }
    if (profile.lifetimeSeconds > 0) {
        m_out << "Lifetime:   " << profile.lifetimeSeconds << " s\n";
    }
    for (auto it = profile.params.begin(); it != profile.params.end(); ++it) {
        m_out << "Param:      " << it.key() << '=' << it.value() << '\n';
    }
    m_out << "Id:         " << profile.id << '\n';
    done(Ok);
}

void CommandLine::profileRemove(const QStringList &args)
{
    if (args.size() != 1) {
        usage(QStringLiteral("`profile remove` needs exactly one NAME"));
        return;
    }
    Profile profile;
    if (!loadProfile(args.first(), profile)) {
        return;
    }
    // Forget the secrets first: a profile must not leave orphans in the keychain.
    tokens().forget(profile, this, [this, profile](Result<void> forgotten) {
        if (!forgotten) {
            fail(Error(forgotten.error().kind(),
                       QStringLiteral("The profile was kept, since its secrets could not be "
                                      "removed from the keychain: %1")
                           .arg(forgotten.error().message())));
            return;
        }
        auto removed = m_store->remove(profile.id);
        if (!removed) {
            fail(removed.error());
            return;
        }
        m_out << "Removed profile \"" << profile.name << "\" and its secrets.\n";
        tellAgent({{QStringLiteral("cmd"), QStringLiteral("reload")}}, [this] { done(Ok); });
    });
}

void CommandLine::presetsCommand(const QStringList &args)
{
    const bool json = args.contains(QStringLiteral("--json"));
    if (json) {
        QJsonArray array;
        for (const Preset &preset : m_presets.presets()) {
            array.append(QJsonObject {{QStringLiteral("id"), preset.id},
                                      {QStringLiteral("name"), preset.name},
                                      {QStringLiteral("description"), preset.description},
                                      {QStringLiteral("origin"), preset.origin}});
        }
        m_out << QJsonDocument(array).toJson(QJsonDocument::Indented);
    } else {
        for (const Preset &preset : m_presets.presets()) {
            m_out << preset.id.leftJustified(28) << preset.name << '\n';
        }
    }
    for (const QString &problem : m_presets.problems()) {
        m_err << "tokenkeeper: " << problem << '\n';
    }
    done(Ok);
}

bool CommandLine::lockProfile(const Profile &profile)
{
    // Without an agent, two processes must never renew one profile at once:
    // a refresh token sent twice ends a Sensu session.
    const QString dir = agentprotocol::runtimeDirectory() + QStringLiteral("/locks");
    QDir().mkpath(dir);
    m_profileLock = std::make_unique<QLockFile>(dir + u'/' + profile.id + QStringLiteral(".lock"));
    m_profileLock->setStaleLockTime(0); // stale only when its process is gone
    if (!m_profileLock->tryLock(60'000)) {
        fail(Error(Error::Kind::Storage,
                   QStringLiteral("Another tokenkeeper has been renewing \"%1\" for a minute; "
                                  "try again.")
                       .arg(profile.name)));
        return false;
    }
    return true;
}

void CommandLine::askAgent(const QJsonObject &request, const Profile &profile,
                           std::function<void(const QJsonObject &)> answered,
                           std::function<void()> alone)
{
    m_agent = new AgentClient({}, {}, this);
    m_agent->request(request, m_setup.httpTimeoutMs * 3 + m_setup.keychainTimeoutMs * 2,
                     [this, profile, answered = std::move(answered),
                      alone = std::move(alone)](std::optional<Result<QJsonObject>> answer) {
                         if (!answer) {
                             if (lockProfile(profile)) {
                                 alone();
                             }
                             return;
                         }
                         if (!*answer) {
                             fail(answer->error(), profile.name);
                             return;
                         }
                         answered(answer->value());
                     });
}

void CommandLine::tellAgent(const QJsonObject &request, std::function<void()> then)
{
    m_agent = new AgentClient({}, {}, this);
    m_agent->request(request, 5'000,
                     [then = std::move(then)](std::optional<Result<QJsonObject>>) { then(); });
}

void CommandLine::loginCommand(const QStringList &args)
{
    QStringList positional = args;
    const bool remember = positional.removeAll(QStringLiteral("--remember-password")) > 0;
    if (positional.size() != 1 || positional.first().startsWith(u'-')) {
        usage(QStringLiteral("`login` needs exactly one NAME (the secret comes from standard "
                             "input, never from the arguments)"));
        return;
    }
    Profile profile;
    if (!loadProfile(positional.first(), profile)) {
        return;
    }
    const Preset *preset = m_presets.find(profile.preset);
    if (!preset) {
        fail(Error(Error::Kind::Usage,
                   QStringLiteral("The preset \"%1\" is not installed.").arg(profile.preset)));
        return;
    }
    if (remember && preset->secretKind != SecretKind::Password) {
        usage(QStringLiteral("--remember-password is for presets that log in with a password"));
        return;
    }
    const QString label =
        preset->secretLabel.isEmpty() ? QStringLiteral("Secret") : preset->secretLabel;
    if (!preset->secretHint.isEmpty() && terminal::stdinIsTerminal()) {
        m_err << preset->secretHint << '\n';
        m_err.flush();
    }
    const QString who = !profile.username.isEmpty() ? profile.username : profile.clientId;
    const QString prompt = who.isEmpty()
        ? QStringLiteral("%1 for %2: ").arg(label, profile.name)
        : QStringLiteral("%1 for %2 (%3): ").arg(label, who, profile.name);
    const auto secret = terminal::readSecret(prompt);
    if (!secret || secret->isEmpty()) {
        usage(QStringLiteral("no %1 given on standard input").arg(label.toLower()));
        return;
    }
    // A confidential client's secret comes second (the next line, or a second prompt).
    QString clientSecret;
    if (profile.confidentialClient && preset->secretKind != SecretKind::ClientSecret) {
        const auto read =
            terminal::readSecret(QStringLiteral("Client secret for %1: ").arg(profile.clientId));
        if (!read || read->isEmpty()) {
            usage(QStringLiteral("no client secret given on standard input (the second line)"));
            return;
        }
        clientSecret = *read;
    }
    if (!lockProfile(profile)) {
        return;
    }
    const bool rememberChanged =
        preset->secretKind == SecretKind::Password && remember != profile.rememberPassword;
    profile.rememberPassword = remember;
    tokens().login(
        profile, *secret, this,
        [this, profile, rememberChanged](Result<TokenSet> result) {
            if (!result) {
                fail(result.error(), profile.name);
                return;
            }
            if (rememberChanged) {
                if (auto updated = m_store->update(profile); !updated) {
                    fail(updated.error());
                    return;
                }
            }
            m_out << "Logged in to \"" << profile.name << "\"; the access token is valid until "
                  << result->expiresAt.toLocalTime().toString(Qt::ISODate) << ".\n";
            const Preset *used = m_presets.find(profile.preset);
            if (used && used->secretKind == SecretKind::Password && !profile.rememberPassword
                && result->refreshToken.isEmpty()) {
                m_err << "Note: the server gave no refresh token, so you will log in again when "
                         "this token expires (or log in with --remember-password).\n";
            }
            // A running agent drops what it had in memory for the profile.
            tellAgent({{QStringLiteral("cmd"), QStringLiteral("reload")},
                       {QStringLiteral("profile"), profile.name}},
                      [this] { done(Ok); });
        },
        clientSecret);
}

void CommandLine::logoutCommand(const QStringList &args)
{
    if (args.size() != 1) {
        usage(QStringLiteral("`logout` needs exactly one NAME"));
        return;
    }
    Profile profile;
    if (!loadProfile(args.first(), profile)) {
        return;
    }
    const auto report = [this, profile](bool ended, const QString &warning) {
        if (!warning.isEmpty()) {
            m_err << "tokenkeeper: " << warning << '\n';
        }
        m_out << "Logged out of \"" << profile.name << "\""
              << (ended ? QStringLiteral("; the server session is ended") : QString())
              << ". Its secrets are gone from the keychain.\n";
        done(Ok);
    };
    askAgent(
        {{QStringLiteral("cmd"), QStringLiteral("logout")},
         {QStringLiteral("profile"), profile.name}},
        profile,
        [report](const QJsonObject &answer) {
            report(answer.value(QStringLiteral("server_session_ended")).toBool(),
                   answer.value(QStringLiteral("warning")).toString());
        },
        [this, profile, report] {
            tokens().logout(profile, this,
                            [this, profile, report](Result<TokenService::LogoutOutcome> outcome) {
                                if (!outcome) {
                                    fail(outcome.error(), profile.name);
                                    return;
                                }
                                report(outcome->serverSessionEnded, outcome->warning);
                            });
        });
}

void CommandLine::printToken(const QJsonObject &token, Output output)
{
    const QString access = token.value(QStringLiteral("access_token")).toString();
    switch (output) {
    case Output::Header:
        m_out << "Authorization: Bearer " << access << '\n';
        break;
    case Output::Json: {
        QJsonObject object = token;
        object.remove(QStringLiteral("id"));
        object.remove(QStringLiteral("ok"));
        m_out << QJsonDocument(object).toJson(QJsonDocument::Compact) << '\n';
        break;
    }
    case Output::Token:
        m_out << access << '\n';
        break;
    }
    done(Ok);
}

void CommandLine::tokenCommand(const QStringList &args, bool header)
{
    QCommandLineParser parser;
    const QCommandLineOption minValid(QStringLiteral("min-valid"), {}, QStringLiteral("SECONDS"),
                                      QStringLiteral("30"));
    const QCommandLineOption json(QStringLiteral("json"));
    parser.addOption(minValid);
    if (!header) {
        parser.addOption(json);
    }
    if (!parser.parse(QStringList {QStringLiteral("tokenkeeper")} + args)) {
        usage(parser.errorText());
        return;
    }
    if (parser.positionalArguments().size() != 1) {
        usage(QStringLiteral("`%1` needs exactly one NAME")
                  .arg(header ? QStringLiteral("header") : QStringLiteral("token")));
        return;
    }
    bool ok = false;
    const int seconds = parser.value(minValid).toInt(&ok);
    if (!ok || seconds < 0 || seconds > 365 * 24 * 3600) {
        usage(QStringLiteral("--min-valid takes a number of seconds"));
        return;
    }
    Profile profile;
    if (!loadProfile(parser.positionalArguments().first(), profile)) {
        return;
    }
    const Output output =
        header ? Output::Header : (parser.isSet(json) ? Output::Json : Output::Token);
    askAgent(
        {{QStringLiteral("cmd"), QStringLiteral("token")},
         {QStringLiteral("profile"), profile.name},
         {QStringLiteral("min_valid"), seconds}},
        profile, [this, output](const QJsonObject &answer) { printToken(answer, output); },
        [this, profile, seconds, output] {
            tokens().token(
                profile, seconds, this, [this, profile, output](Result<TokenSet> result) {
                    if (!result) {
                        fail(result.error(), profile.name);
                        return;
                    }
                    printToken(agentprotocol::tokenAnswer(profile.name, *result, m_clock.now()),
                               output);
                });
        });
}

void CommandLine::refreshCommand(const QStringList &args)
{
    if (args.size() != 1) {
        usage(QStringLiteral("`refresh` needs exactly one NAME"));
        return;
    }
    Profile profile;
    if (!loadProfile(args.first(), profile)) {
        return;
    }
    askAgent(
        {{QStringLiteral("cmd"), QStringLiteral("refresh")},
         {QStringLiteral("profile"), profile.name}},
        profile, [this](const QJsonObject &answer) { printToken(answer, Output::Token); },
        [this, profile] {
            tokens().token(
                profile, TokenSource::forceRenewal, this, [this, profile](Result<TokenSet> result) {
                    if (!result) {
                        fail(result.error(), profile.name);
                        return;
                    }
                    printToken(agentprotocol::tokenAnswer(profile.name, *result, m_clock.now()),
                               Output::Token);
                });
        });
}

void CommandLine::statusCommand(const QStringList &args)
{
    const bool json = args.contains(QStringLiteral("--json"));
    if (args.size() > (json ? 1 : 0)) {
        usage(QStringLiteral("`status` takes only --json"));
        return;
    }
    m_agent = new AgentClient({}, {}, this);
    m_agent->request({{QStringLiteral("cmd"), QStringLiteral("status")}}, 10'000,
                     [this, json](std::optional<Result<QJsonObject>> answer) {
                         if (answer && !*answer) {
                             fail(answer->error());
                             return;
                         }
                         QJsonArray profiles;
                         if (answer) {
                             profiles = answer->value().value(QStringLiteral("profiles")).toArray();
                         } else {
                             // No agent: only what the profiles file says.
                             auto loaded = m_store->load();
                             if (!loaded) {
                                 fail(loaded.error());
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
                         printStatus(profiles, answer.has_value(), json);
                     });
}

void CommandLine::printStatus(const QJsonArray &profiles, bool agentRuns, bool json)
{
    if (json) {
        m_out << QJsonDocument(QJsonObject {{QStringLiteral("agent"), agentRuns},
                                            {QStringLiteral("profiles"), profiles}})
                     .toJson(QJsonDocument::Indented);
        done(Ok);
        return;
    }
    if (!agentRuns) {
        m_out << "No agent runs (start one with `tokenkeeper agent`): states are unknown.\n";
    }
    const QDateTime now = m_clock.now();
    qsizetype width = 4;
    for (const QJsonValue &value : profiles) {
        width = qMax(width, value.toObject().value(QStringLiteral("name")).toString().size());
    }
    m_out << QStringLiteral("NAME").leftJustified(width + 2)
          << QStringLiteral("STATE").leftJustified(16) << "DETAIL\n";
    for (const QJsonValue &value : profiles) {
        const QJsonObject profile = value.toObject();
        const QString state = profile.value(QStringLiteral("state")).toString();
        const auto secondsUntil = [&profile, &now](const QString &key) {
            const QDateTime when =
                QDateTime::fromString(profile.value(key).toString(), Qt::ISODate);
            return when.isValid() ? now.secsTo(when) : qint64(0);
        };
        QString detail;
        if (state == u"valid" || state == u"refreshing") {
            detail =
                QStringLiteral("expires in %1 s").arg(secondsUntil(QStringLiteral("valid_until")));
        } else if (state == u"backing-off") {
            detail = QStringLiteral("next try in %1 s: %2")
                         .arg(secondsUntil(QStringLiteral("next_refresh")))
                         .arg(profile.value(QStringLiteral("reason")).toString());
        } else if (state == u"login-required") {
            detail = profile.value(QStringLiteral("reason")).toString();
        }
        m_out << profile.value(QStringLiteral("name")).toString().leftJustified(width + 2)
              << state.leftJustified(16) << detail << '\n';
    }
    done(Ok);
}

void CommandLine::agentCommand(const QStringList &args)
{
    if (!args.isEmpty()) {
        usage(QStringLiteral("`agent` takes no arguments"));
        return;
    }
    auto *signals = new SignalWatcher({SIGINT, SIGTERM}, this);
    auto *agent = new Agent(m_setup, this);
    if (auto started = agent->start(); !started) {
        fail(started.error());
        return;
    }
    const qsizetype count = agent->scheduler().profiles().size();
    m_err << "tokenkeeper agent: keeping " << count << (count == 1 ? " profile" : " profiles")
          << " fresh; listening on " << agentprotocol::socketPath() << '\n';
    m_err.flush();
    connect(signals, &SignalWatcher::received, this,
            [this, agent](int) { agent->stop(1500, [this] { done(Ok); }); });
}

void CommandLine::requestCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsCompactedShortOptions);
    const QCommandLineOption method(QStringList {QStringLiteral("X"), QStringLiteral("request")},
                                    {}, QStringLiteral("METHOD"));
    const QCommandLineOption header(QStringList {QStringLiteral("H"), QStringLiteral("header")}, {},
                                    QStringLiteral("K: V"));
    const QCommandLineOption data(QStringList {QStringLiteral("d"), QStringLiteral("data")}, {},
                                  QStringLiteral("DATA"));
    const QCommandLineOption include(QStringList {QStringLiteral("i"), QStringLiteral("include")});
    const QCommandLineOption verbose(QStringList {QStringLiteral("v"), QStringLiteral("verbose")});
    const QCommandLineOption otherHost(QStringLiteral("allow-other-host"));
    parser.addOptions({method, header, data, include, verbose, otherHost});
    if (!parser.parse(QStringList {QStringLiteral("tokenkeeper")} + args)) {
        usage(parser.errorText());
        return;
    }
    if (parser.positionalArguments().size() != 2) {
        usage(QStringLiteral("`request` needs a NAME and a PATH_OR_URL"));
        return;
    }
    Profile profile;
    if (!loadProfile(parser.positionalArguments().first(), profile)) {
        return;
    }

    ApiRequest request;
    request.target = parser.positionalArguments().at(1);
    if (parser.isSet(data)) {
        const QString value = parser.value(data);
        if (value.startsWith(u'@')) {
            QFile file;
            const QString path = value.mid(1);
            const bool opened = path == u"-"
                ? file.open(stdin, QIODevice::ReadOnly)
                : (file.setFileName(path), file.open(QIODevice::ReadOnly));
            if (!opened) {
                usage(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
                return;
            }
            request.body = file.read(maxRequestBodyBytes + 1);
            if (request.body.size() > maxRequestBodyBytes) {
                usage(QStringLiteral("%1 is larger than %2 MiB")
                          .arg(path)
                          .arg(maxRequestBodyBytes >> 20));
                return;
            }
        } else {
            request.body = value.toUtf8();
        }
        QJsonParseError error;
        QJsonDocument::fromJson(request.body, &error);
        request.contentType = error.error == QJsonParseError::NoError
            ? QStringLiteral("application/json")
            : QStringLiteral("application/x-www-form-urlencoded");
    }
    request.method = parser.isSet(method)
        ? parser.value(method).toUpper().toLatin1()
        : (parser.isSet(data) ? QByteArrayLiteral("POST") : QByteArrayLiteral("GET"));
    if (const QString why = checkMethod(request.method); !why.isEmpty()) {
        usage(why);
        return;
    }
    for (const QString &line : parser.values(header)) {
        const auto parsed = parseHeaderLine(line);
        if (!parsed) {
            usage(QStringLiteral("-H takes \"Name: value\""));
            return;
        }
        if (const QString why = checkHeader(parsed->first, parsed->second); !why.isEmpty()) {
            usage(why);
            return;
        }
        request.headers.append(*parsed);
    }
    const Result<QUrl> url = resolveTarget(profile.baseUrl, request.target);
    if (!url) {
        usage(url.error().message());
        return;
    }
    if (!sameServer(profile.baseUrl, *url) && !parser.isSet(otherHost)) {
        usage(QStringLiteral("%1 is not on the server of \"%2\" (%3): the token would go to "
                             "another host. Add --allow-other-host to send it anyway.")
                  .arg(url->toDisplayString(QUrl::RemoveQuery | QUrl::RemovePath), profile.name,
                       profile.baseUrl.toDisplayString(QUrl::RemoveQuery | QUrl::RemovePath)));
        return;
    }

    m_agent = new AgentClient({}, {}, this);
    if (m_agent->agentRuns()) {
        m_provider = std::make_unique<AgentTokenProvider>(
            *m_agent, m_setup.httpTimeoutMs * 3 + m_setup.keychainTimeoutMs * 2);
    } else {
        if (!lockProfile(profile)) {
            return;
        }
        m_provider = std::make_unique<ServiceTokenProvider>(tokens());
    }
    if (!m_nam) {
        m_nam = new QNetworkAccessManager(this);
    }
    m_requestHttp = new HttpClient(
        m_nam, {m_setup.httpTimeoutMs * 2, maxAnswerBytes, /*cutOverLimit=*/true}, this);
    m_runner = new RequestRunner(*m_requestHttp, *m_provider, m_clock, this);
    const bool withHead = parser.isSet(include);
    const bool tell = parser.isSet(verbose);
    m_runner->send(
        profile, request, this,
        [this, tell](const RequestStep &step) {
            if (tell) {
                m_err << "* " << step.text << '\n';
                m_err.flush();
            }
        },
        [this, profile, withHead, tell](RequestOutcome outcome) {
            // An error wins over an earlier answer: after a 401 the renewal
            // failed (log in again) or the retry got no answer.
            if (outcome.error || !outcome.response) {
                fail(outcome.error.value_or(
                         Error(Error::Kind::Network, QStringLiteral("The request failed."))),
                     profile.name);
                return;
            }
            printAnswer(outcome, withHead, tell);
        });
}

void CommandLine::printAnswer(const RequestOutcome &outcome, bool withHead, bool verbose)
{
    const HttpResponse &response = *outcome.response;
    if (outcome.retried && !verbose) {
        m_err << "tokenkeeper: the server refused the token; it was renewed and the request "
                 "sent again\n";
    }
    m_out.flush();
    QFile out;
    out.open(stdout, QIODevice::WriteOnly);
    if (withHead) {
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
        m_err << "tokenkeeper: the answer is larger than " << (maxAnswerBytes >> 20)
              << " MiB; only its start was printed\n";
    }
    if (outcome.succeeded()) {
        done(Ok);
        return;
    }
    m_err << "tokenkeeper: " << RequestRunner::statusText(response.status);
    if (!outcome.reason.isEmpty()) {
        m_err << ": " << outcome.reason;
    }
    m_err << '\n';
    done(HttpError);
}

} // namespace tokenkeeper
