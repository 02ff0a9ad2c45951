#include "commands.h"

#include <QList>

namespace tokenkeeper::cli {

const QList<CommandSpec> &commandTable()
{
    static const QList<CommandSpec> table {
        {QStringLiteral("profile add"), QStringLiteral("Profiles"),
         QStringLiteral(R"(  profile add NAME --preset P --url URL [--username U] [--client-id ID]
                   [--scope S] [--token-url URL] [--lifetime SECONDS]
                   [--client-auth basic|body] [--confidential-client]
                   [--param KEY=VALUE]...
        --confidential-client: the OAuth client has a secret, which login
        reads after the password or token (the second line of standard input)
)"),
         makeProfileAdd},
        {QStringLiteral("profile edit"), QStringLiteral("Profiles"),
         QStringLiteral(R"(  profile edit NAME [--name NEW] [any option of profile add]
                   [--no-confidential-client] [--param KEY=]
        changes what the options say and keeps the rest; an empty --scope,
        --token-url or --lifetime goes back to the preset's, --param KEY=
        drops KEY. A new preset, server URL, token URL, user, client or
        parameter forgets the stored secrets (log in again), and says so
)"),
         makeProfileEdit},
        {QStringLiteral("profile list"), QStringLiteral("Profiles"),
         QStringLiteral("  profile list [--json]\n"), makeProfileList},
        {QStringLiteral("profile show"), QStringLiteral("Profiles"),
         QStringLiteral("  profile show NAME [--json]\n"), makeProfileShow},
        {QStringLiteral("profile remove"), QStringLiteral("Profiles"),
         QStringLiteral("  profile remove NAME          also forgets the profile's secrets\n"),
         makeProfileRemove},
        {QStringLiteral("presets"), QStringLiteral("Profiles"),
         QStringLiteral(
             "  presets [--json]             the installed presets (built-in and your own)\n"),
         makePresets},
        {QStringLiteral("login"), QStringLiteral("Sessions"),
         QStringLiteral(R"(  login NAME [--remember-password]
        reads the password, client secret or user token from the first line
        of standard input when it is not a terminal, else asks without echo
)"),
         makeLogin},
        {QStringLiteral("logout"), QStringLiteral("Sessions"),
         QStringLiteral(
             R"(  logout NAME                  forgets the secrets; ends the server session
                               where the server has one (Sensu)
)"),
         makeLogout},
        {QStringLiteral("token"), QStringLiteral("Sessions"),
         QStringLiteral(R"(  token NAME [--min-valid SECONDS] [--json]
        prints a valid access token alone on a line, refreshing it when it is
        missing, expired or would expire within SECONDS (default 30)
)"),
         makeToken},
        {QStringLiteral("header"), QStringLiteral("Sessions"),
         QStringLiteral(R"(  header NAME [--min-valid SECONDS]
        prints "Authorization: Bearer <token>"
)"),
         makeHeader},
        {QStringLiteral("refresh"), QStringLiteral("Sessions"),
         QStringLiteral(
             "  refresh NAME                 renews the token now (after the server refused it)\n"),
         makeRefresh},
        {QStringLiteral("status"), QStringLiteral("Sessions"),
         QStringLiteral(
             "  status [--json]              every profile's state, expiry and last error\n"),
         makeStatus},
        {QStringLiteral("lock"), QStringLiteral("Sessions"),
         QStringLiteral(
             R"(  lock                         the running agent (or desktop app) drops every
                               secret and token from memory and renews nothing
                               until the next use, which reads the keychain
                               again (and meets its lock)
)"),
         makeLock},
        {QStringLiteral("request"), QStringLiteral("Requests"),
         QStringLiteral(R"(  request NAME [-X METHOD] [-H 'K: V']... [-d DATA|@FILE|@-] [-i] [-v]
          [--allow-other-host] [--no-history] PATH_OR_URL
        sends a request with the profile's token; PATH is relative to the
        profile's URL. A 401 renews the token once and sends it again.
        The body goes to stdout; -i adds the status line and headers, -v
        tells on stderr what happened. -d sends DATA (from FILE, or standard
        input) as POST unless -X says otherwise, as application/json when it
        is JSON, else form-encoded, unless -H sets Content-Type. A URL on
        another host than the profile's is refused (the token would go
        there) unless --allow-other-host. The request is kept in the
        history the window shows, its secrets redacted, unless --no-history
        or the setting below says otherwise.
)"),
         makeRequest},
        {QStringLiteral("history"), QStringLiteral("Requests"),
         QStringLiteral(R"(  history [--keep all|no-bodies|none]
        where the request history is and what it keeps; --keep changes that
        for the window and the command line alike (the window's Settings),
        and drops at once what is no longer kept (none: the file goes)
)"),
         makeHistory},
        {QStringLiteral("agent"), QStringLiteral("The agent"),
         QStringLiteral(
             R"(  agent         keeps every token fresh in the background until SIGTERM or
                SIGINT; token, header, refresh, status, login, logout and
                profile remove ask it first (token and header answer at once
                from memory). One agent per user session.
)"),
         makeAgent},
    };
    return table;
}

} // namespace tokenkeeper::cli
