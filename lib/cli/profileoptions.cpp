#include "profileoptions.h"

#include "context.h"

#include <QMap>

namespace tokenkeeper::cli {

ProfileOptions::ProfileOptions(Mode mode)
    : m_mode(mode)
    , m_newName(QStringLiteral("name"), {}, QStringLiteral("NEW"))
    , m_preset(QStringLiteral("preset"), {}, QStringLiteral("P"))
    , m_url(QStringLiteral("url"), {}, QStringLiteral("URL"))
    , m_username(QStringLiteral("username"), {}, QStringLiteral("U"))
    , m_clientId(QStringLiteral("client-id"), {}, QStringLiteral("ID"))
    , m_scope(QStringLiteral("scope"), {}, QStringLiteral("S"))
    , m_tokenUrl(QStringLiteral("token-url"), {}, QStringLiteral("URL"))
    , m_lifetime(QStringLiteral("lifetime"), {}, QStringLiteral("SECONDS"))
    , m_clientAuth(QStringLiteral("client-auth"), {}, QStringLiteral("HOW"))
    , m_param(QStringLiteral("param"), {}, QStringLiteral("KEY=VALUE"))
    , m_remember(QStringLiteral("remember-password"))
    , m_confidential(QStringLiteral("confidential-client"))
    , m_notConfidential(QStringLiteral("no-confidential-client"))
{
    m_parser.addOptions({m_preset, m_url, m_username, m_clientId, m_scope, m_tokenUrl, m_lifetime,
                         m_clientAuth, m_param, m_remember, m_confidential});
    if (m_mode == Mode::Edit) {
        m_parser.addOptions({m_newName, m_notConfidential});
    }
}

bool ProfileOptions::parse(Context &cli, const QStringList &args)
{
    const QString command =
        m_mode == Mode::Add ? QStringLiteral("profile add") : QStringLiteral("profile edit");
    if (!m_parser.parse(QStringList {QStringLiteral("tokenkeeper")} + args)) {
        cli.usage(m_parser.errorText());
        return false;
    }
    if (m_parser.positionalArguments().size() != 1) {
        cli.usage(QStringLiteral("`%1` needs exactly one NAME").arg(command));
        return false;
    }
    if (m_parser.isSet(m_confidential) && m_parser.isSet(m_notConfidential)) {
        cli.usage(QStringLiteral("--confidential-client or --no-confidential-client, not both"));
        return false;
    }
    return true;
}

bool ProfileOptions::applyTo(Context &cli, ProfileForm &form) const
{
    const bool adding = m_mode == Mode::Add;
    const auto take = [this, adding](const QCommandLineOption &option, QString &field) {
        if (adding || m_parser.isSet(option)) {
            field = m_parser.value(option);
        }
    };
    if (adding) {
        form.name = name();
    } else if (m_parser.isSet(m_newName)) {
        form.name = m_parser.value(m_newName);
    }
    take(m_preset, form.preset);
    take(m_url, form.baseUrl);
    take(m_username, form.username);
    take(m_clientId, form.clientId);
    take(m_scope, form.scope);
    take(m_tokenUrl, form.tokenUrl);
    take(m_lifetime, form.lifetime);
    take(m_clientAuth, form.clientAuth);
    if (adding) {
        form.params.clear();
    }
    for (const QString &pair : m_parser.values(m_param)) {
        const qsizetype equals = pair.indexOf(u'=');
        if (equals <= 0) {
            cli.usage(QStringLiteral("--param takes KEY=VALUE"));
            return false;
        }
        const QString key = pair.left(equals);
        const QString value = pair.mid(equals + 1);
        if (value.isEmpty() && !adding) {
            form.params.remove(key); // `--param KEY=` drops it
        } else {
            form.params.insert(key, value);
        }
    }
    if (adding || m_parser.isSet(m_remember)) {
        form.rememberPassword = m_parser.isSet(m_remember);
    }
    if (adding || m_parser.isSet(m_confidential) || m_parser.isSet(m_notConfidential)) {
        form.confidentialClient = m_parser.isSet(m_confidential);
    }
    if (adding) {
        if (const QString problem = Profile::checkName(form.name); !problem.isEmpty()) {
            cli.usage(problem);
            return false;
        }
        if (!m_parser.isSet(m_preset) || !m_parser.isSet(m_url)) {
            cli.usage(QStringLiteral("`profile add` needs --preset and --url"));
            return false;
        }
        if ((m_parser.isSet(m_tokenUrl) && form.tokenUrl.isEmpty())
            || (m_parser.isSet(m_lifetime) && form.lifetime.isEmpty())) {
            cli.usage(QStringLiteral("--token-url and --lifetime cannot be empty"));
            return false;
        }
    }
    return true;
}

std::optional<Profile> ProfileOptions::check(Context &cli, const ProfileForm &form,
                                             const QStringList &takenNames)
{
    using Field = ProfileValidator::Field;
    const QMap<Field, QString> options {
        {Field::Name, QStringLiteral("--name")},
        {Field::Preset, QStringLiteral("--preset")},
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
    const ProfileValidator validator(cli.engine().presets(), takenNames);
    const QList<ProfileValidator::Problem> problems = validator.check(form);
    if (!problems.isEmpty()) {
        const ProfileValidator::Problem &first = problems.first();
        const QString option = options.value(first.field);
        cli.usage(option.isEmpty() ? first.message : option + QStringLiteral(": ") + first.message);
        return std::nullopt;
    }
    auto profile = validator.toProfile(form);
    if (!profile) {
        cli.fail(profile.error());
        return std::nullopt;
    }
    return *profile;
}

} // namespace tokenkeeper::cli
