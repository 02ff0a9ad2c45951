#include "profilevalidator.h"

#include "auth/presetregistry.h"

namespace tokenkeeper {

namespace {

using Field = ProfileValidator::Field;

// The preset file's name of a profile field, or empty for fields every profile has.
QString presetFieldName(Field field)
{
    switch (field) {
    case Field::Username:
        return QStringLiteral("username");
    case Field::ClientId:
        return QStringLiteral("client_id");
    case Field::ConfidentialClient:
        return QStringLiteral("client_secret");
    case Field::Scope:
        return QStringLiteral("scope");
    case Field::TokenUrl:
        return QStringLiteral("token_url");
    case Field::Name:
    case Field::Preset:
    case Field::BaseUrl:
    case Field::Lifetime:
    case Field::ClientAuth:
    case Field::Param:
        break;
    }
    return {};
}

bool authenticatesClient(const Preset &preset)
{
    for (const auto *request : {&preset.login, &preset.refresh, &preset.logout, &preset.test}) {
        if (*request && (*request)->auth == PresetRequest::Auth::Client) {
            return true;
        }
    }
    return false;
}

} // namespace

ProfileForm ProfileForm::from(const Profile &profile)
{
    ProfileForm form;
    form.name = profile.name;
    form.preset = profile.preset;
    form.baseUrl = profile.baseUrl.toString();
    form.username = profile.username;
    form.clientId = profile.clientId;
    form.scope = profile.scope;
    form.tokenUrl = profile.tokenUrl.toString();
    form.lifetime =
        profile.lifetimeSeconds > 0 ? QString::number(profile.lifetimeSeconds) : QString();
    form.clientAuth = profile.clientAuth == Profile::ClientAuth::Body ? QStringLiteral("body")
                                                                      : QStringLiteral("basic");
    form.confidentialClient = profile.confidentialClient;
    form.rememberPassword = profile.rememberPassword;
    form.params = profile.params;
    return form;
}

ProfileValidator::ProfileValidator(const PresetRegistry &presets, QStringList takenNames)
    : m_presets(presets)
    , m_takenNames(std::move(takenNames))
{ }

bool ProfileValidator::shows(const Preset &preset, Field field)
{
    switch (field) {
    case Field::Name:
    case Field::Preset:
    case Field::BaseUrl:
    case Field::Lifetime:
        return true;
    case Field::ClientAuth:
        return authenticatesClient(preset);
    case Field::Param:
        return !preset.params.isEmpty();
    case Field::Username:
    case Field::ClientId:
    case Field::ConfidentialClient:
    case Field::Scope:
    case Field::TokenUrl:
        break;
    }
    return preset.uses(presetFieldName(field));
}

bool ProfileValidator::needs(const Preset &preset, Field field)
{
    switch (field) {
    case Field::Name:
    case Field::Preset:
    case Field::BaseUrl:
        return true;
    case Field::Lifetime:
    case Field::ClientAuth:
    case Field::Param:
    case Field::ConfidentialClient:
        return false;
    case Field::Username:
    case Field::ClientId:
    case Field::Scope:
    case Field::TokenUrl:
        break;
    }
    return preset.needs(presetFieldName(field));
}

bool ProfileValidator::sameAccount(const Profile &before, const Profile &after)
{
    return before.preset == after.preset && before.baseUrl == after.baseUrl
        && before.tokenUrl == after.tokenUrl && before.username == after.username
        && before.clientId == after.clientId
        && before.confidentialClient == after.confidentialClient && before.params == after.params;
}

QList<ProfileValidator::Problem> ProfileValidator::check(const ProfileForm &form) const
{
    QList<Problem> problems;
    const auto problem = [&problems](Field field, const QString &message,
                                     const QString &param = {}) {
        problems.append({field, message, param});
    };

    if (const QString name = Profile::checkName(form.name); !name.isEmpty()) {
        problem(Field::Name, name);
    } else if (m_takenNames.contains(form.name)) {
        problem(Field::Name,
                QStringLiteral("A profile named \"%1\" exists already.").arg(form.name));
    }

    const Preset *preset = form.preset.isEmpty() ? nullptr : m_presets.find(form.preset);
    if (form.preset.isEmpty()) {
        problem(Field::Preset, QStringLiteral("Choose a preset."));
    } else if (!preset) {
        QStringList ids;
        for (const Preset &installed : m_presets.presets()) {
            ids.append(installed.id);
        }
        problem(Field::Preset,
                QStringLiteral("Unknown preset \"%1\"; installed: %2.")
                    .arg(form.preset, ids.join(QStringLiteral(", "))));
    }

    if (form.baseUrl.trimmed().isEmpty()) {
        problem(Field::BaseUrl,
                QStringLiteral("Enter the server's URL, like https://api.example.com."));
    } else if (const QString url = Profile::checkUrl(QUrl(form.baseUrl, QUrl::StrictMode));
               !url.isEmpty()) {
        problem(Field::BaseUrl, url);
    }

    if (preset) {
        const struct
        {
            Field field;
            const QString &value;
            QString what;
        } texts[] = {
            {Field::Username, form.username, QStringLiteral("a username")},
            {Field::ClientId, form.clientId, QStringLiteral("a client ID")},
            {Field::Scope, form.scope, QStringLiteral("a scope")},
            {Field::TokenUrl, form.tokenUrl, QStringLiteral("a token URL")},
        };
        for (const auto &text : texts) {
            if (needs(*preset, text.field) && text.value.trimmed().isEmpty()) {
                problem(text.field,
                        QStringLiteral("The %1 preset needs %2.").arg(preset->name, text.what));
            } else if (!shows(*preset, text.field) && !text.value.isEmpty()) {
                problem(
                    text.field,
                    QStringLiteral("The %1 preset does not use %2.").arg(preset->name, text.what));
            }
            if (text.field == Field::ClientId && form.confidentialClient) {
                if (!shows(*preset, Field::ConfidentialClient)) {
                    problem(Field::ConfidentialClient,
                            QStringLiteral("The %1 preset's client cannot have a secret.")
                                .arg(preset->name));
                } else if (form.clientId.trimmed().isEmpty()) {
                    problem(Field::ConfidentialClient,
                            QStringLiteral("A confidential client needs its client ID."));
                }
            }
        }
    }

    if (!form.tokenUrl.isEmpty()) {
        if (const QString url = Profile::checkUrl(QUrl(form.tokenUrl, QUrl::StrictMode));
            !url.isEmpty()) {
            problem(Field::TokenUrl, QStringLiteral("Token URL: ") + url);
        }
    }

    if (!form.lifetime.isEmpty()) {
        bool ok = false;
        const int seconds = form.lifetime.toInt(&ok);
        if (!ok || seconds <= 0) {
            problem(Field::Lifetime,
                    QStringLiteral("The lifetime is a positive number of seconds."));
        }
    }

    if (!form.clientAuth.isEmpty() && form.clientAuth != u"basic" && form.clientAuth != u"body") {
        problem(Field::ClientAuth, QStringLiteral("Client authentication is basic or body."));
    }

    if (preset) {
        for (auto it = form.params.begin(); it != form.params.end(); ++it) {
            if (!preset->params.contains(it.key())) {
                problem(Field::Param,
                        QStringLiteral("The %1 preset has no parameter \"%2\" (it has: %3).")
                            .arg(preset->name, it.key(),
                                 preset->params.isEmpty()
                                     ? QStringLiteral("none")
                                     : preset->params.join(QStringLiteral(", "))),
                        it.key());
            }
        }
    }
    return problems;
}

Result<Profile> ProfileValidator::toProfile(const ProfileForm &form) const
{
    if (const QList<Problem> problems = check(form); !problems.isEmpty()) {
        return Error(Error::Kind::Usage, problems.first().message);
    }
    Profile profile;
    profile.name = form.name;
    profile.preset = form.preset;
    profile.baseUrl = QUrl(form.baseUrl, QUrl::StrictMode);
    profile.username = form.username;
    profile.clientId = form.clientId;
    profile.scope = form.scope;
    if (!form.tokenUrl.isEmpty()) {
        profile.tokenUrl = QUrl(form.tokenUrl, QUrl::StrictMode);
    }
    profile.lifetimeSeconds = form.lifetime.isEmpty() ? 0 : form.lifetime.toInt();
    profile.clientAuth =
        form.clientAuth == u"body" ? Profile::ClientAuth::Body : Profile::ClientAuth::Basic;
    profile.confidentialClient = form.confidentialClient;
    profile.rememberPassword = form.rememberPassword;
    for (auto it = form.params.begin(); it != form.params.end(); ++it) {
        if (!it.value().isEmpty()) {
            profile.params.insert(it.key(), it.value());
        }
    }
    return profile;
}

} // namespace tokenkeeper
