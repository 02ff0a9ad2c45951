#pragma once

// One row per built-in preset: how to add a demo profile for it on the
// emulator, its secret, and where its protected API is.
#include "democredentials.h"
#include "testsupport.h"

#include <QString>
#include <QStringList>

namespace tokenkeeper::test {

struct PresetCase
{
    QString preset;
    QStringList addArgs; // after `profile add NAME --preset P --url URL`
    QByteArray secret; // what `login` reads from stdin
    QByteArray badSecret; // a secret the server rejects
    QString apiPath; // a protected endpoint that checks the Bearer token
    QString server; // the emulator's name for it (config, revoke)
    QString rejection; // words of the server's that the rejection message carries
};

inline QList<PresetCase> presetCases()
{
    namespace demo = emulator::demo;
    const auto s = [](const char *text) { return QString::fromLatin1(text); };
    return {
        {s("squirro"),
         {s("--param"), s("tenant=squirro_demo")},
         demo::squirroUserToken,
         "not-a-user-token-0000",
         s("/api/topic/v0/squirro_demo/projects"),
         s("squirro"),
         s("HTTP 404")},
        {s("sensu"),
         {s("--username"), s(demo::sensuUser)},
         demo::sensuPassword,
         "wrong-password",
         s("/api/core/v2/namespaces"),
         s("sensu"),
         s("Unauthorized")},
        {s("squidex"),
         {s("--client-id"), s(demo::squidexClientId), s("--param"), s("app=demo-app")},
         demo::squidexClientSecret,
         "wrong-secret",
         s("/api/apps/demo-app/schemas"),
         s("squidex"),
         s("invalid_client")},
        {s("argus"),
         {s("--username"), s(demo::argusUser)},
         demo::argusPassword,
         "wrong-password",
         s("/argusws/dashboards"),
         s("argus"),
         s("Exception")},
        {s("oauth2-password"),
         {s("--username"), s(demo::oauthUser), s("--client-id"), s(demo::oauthPublicClientId)},
         demo::oauthPassword,
         "wrong-password",
         s("/oauth/api/me"),
         s("oauth2"),
         s("invalid_grant")},
        {s("oauth2-client-credentials"),
         {s("--client-id"), s(demo::oauthClientId)},
         demo::oauthClientSecret,
         "wrong-secret",
         s("/oauth/api/me"),
         s("oauth2"),
         s("invalid_client")},
    };
}

// The demo case of a built-in preset; a test asking for an unknown one stops.
inline PresetCase presetCase(const QString &preset)
{
    for (const PresetCase &c : presetCases()) {
        if (c.preset == preset) {
            return c;
        }
    }
    qFatal("no preset case %s", qPrintable(preset));
}

// Adds profile `name` of case `c` on `url` with the command line and logs in
// to it; false, with a warning saying why, when either fails.
inline bool addLoggedIn(const Cli &cli, const PresetCase &c, const QString &name, const QUrl &url)
{
    const CliResult added = cli.run(QStringList {QStringLiteral("profile"), QStringLiteral("add"),
                                                 name, QStringLiteral("--preset"), c.preset,
                                                 QStringLiteral("--url"), url.toString()}
                                    + c.addArgs);
    if (added.exitCode != 0) {
        qWarning("profile add: %s", qPrintable(added.describe()));
        return false;
    }
    const CliResult login = cli.run({QStringLiteral("login"), name}, c.secret + '\n');
    if (login.exitCode != 0) {
        qWarning("login: %s", qPrintable(login.describe()));
        return false;
    }
    return true;
}

// Whether `token NAME` gives a token the case's protected API accepts.
inline bool tokenWorks(const Cli &cli, Emulator &emulator, const PresetCase &c, const QString &name)
{
    const CliResult token = cli.run({QStringLiteral("token"), name});
    return token.exitCode == 0 && emulator.call("GET", c.apiPath, token.out.trimmed()) == 200;
}

} // namespace tokenkeeper::test
