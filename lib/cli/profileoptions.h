#pragma once

#include "engine/profilevalidator.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <optional>

namespace tokenkeeper::cli {

class Context;

// The options of `profile add` and `profile edit`, read onto a ProfileForm
// and checked by the same rules as the desktop editor's (ProfileValidator);
// a problem names the option to change.
class ProfileOptions final
{
public:
    enum class Mode { Add, Edit };

    explicit ProfileOptions(Mode mode);
    Q_DISABLE_COPY_MOVE(ProfileOptions)

    // False when the arguments are not these options and one NAME (said).
    bool parse(Context &cli, const QStringList &args);
    QString name() const { return m_parser.positionalArguments().value(0); }

    // Puts what the options say into `form`: all of it to add, and to edit
    // only what was given. False when a value is unusable (said).
    bool applyTo(Context &cli, ProfileForm &form) const;

    // The profile `form` describes (without an id), or nullopt with the
    // first problem said. `takenNames`: the other profiles' names.
    static std::optional<Profile> check(Context &cli, const ProfileForm &form,
                                        const QStringList &takenNames);

private:
    Mode m_mode;
    QCommandLineParser m_parser;
    const QCommandLineOption m_newName;
    const QCommandLineOption m_preset;
    const QCommandLineOption m_url;
    const QCommandLineOption m_username;
    const QCommandLineOption m_clientId;
    const QCommandLineOption m_scope;
    const QCommandLineOption m_tokenUrl;
    const QCommandLineOption m_lifetime;
    const QCommandLineOption m_clientAuth;
    const QCommandLineOption m_param;
    const QCommandLineOption m_remember;
    const QCommandLineOption m_confidential;
    const QCommandLineOption m_notConfidential;
};

} // namespace tokenkeeper::cli
