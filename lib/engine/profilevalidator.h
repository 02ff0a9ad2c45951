#pragma once

#include "core/result.h"
#include "profiles/profile.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace tokenkeeper {

class Preset;
class PresetRegistry;

// A profile as a person typed it: the desktop editor's fields or the command
// line's options, as text. Fields the preset does not use stay empty.
struct ProfileForm
{
    QString name;
    QString preset; // the preset's id
    QString baseUrl;
    QString username;
    QString clientId;
    QString scope;
    QString tokenUrl;
    QString lifetime; // seconds; empty: the preset's default
    QString clientAuth; // "basic" or "body"; empty: basic
    bool confidentialClient = false;
    bool rememberPassword = false;
    QMap<QString, QString> params;

    // The form that shows an existing profile.
    static ProfileForm from(const Profile &profile);
};

// The rules a profile follows, shared by the desktop editor and
// `tokenkeeper profile add`: a usable name that no other profile has
// (Profile::checkName), a preset that is installed, a server URL
// (Profile::checkUrl), every field the preset requires and none it does not
// use, a positive lifetime, and only the preset's own parameters.
class ProfileValidator final
{
public:
    enum class Field {
        Name,
        Preset,
        BaseUrl,
        Username,
        ClientId,
        ConfidentialClient, // the client has a secret (presets with a client_secret field)
        Scope,
        TokenUrl,
        Lifetime,
        ClientAuth, // Basic or body (presets with `auth: client` requests)
        Param,
    };

    struct Problem
    {
        Field field;
        QString message; // a sentence a person can act on
        QString param; // Field::Param: which one
    };

    // `takenNames`: the names of the other profiles (when editing, not the
    // edited profile's own). Empty: uniqueness is left to ProfileStore.
    explicit ProfileValidator(const PresetRegistry &presets, QStringList takenNames = {});

    // Every problem of the form, in the order the editor shows the fields.
    QList<Problem> check(const ProfileForm &form) const;
    // The profile the form describes (without an id), or the first problem
    // as a Usage error.
    Result<Profile> toProfile(const ProfileForm &form) const;

    // Whether a profile of `preset` has this field at all: the editor shows
    // only these. Name, preset, URL and lifetime: always.
    static bool shows(const Preset &preset, Field field);
    // Whether the field must be filled in for `preset`.
    static bool needs(const Preset &preset, Field field);

    // Whether the secrets stored for `before` still belong to `after`: same
    // preset, server, token URL, user, client and parameters. When not, an
    // edit must forget them first, or a refresh token would go to another
    // server or stand for another account.
    static bool sameAccount(const Profile &before, const Profile &after);

private:
    const PresetRegistry &m_presets;
    QStringList m_takenNames;
};

} // namespace tokenkeeper
