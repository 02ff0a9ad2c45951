#pragma once

#include "auth/tokenservice.h"
#include "core/result.h"
#include "profiles/profile.h"

#include <QObject>

#include <functional>

namespace tokenkeeper {

class PresetRegistry;
class ProfileStore;
class RequestHistory;

// The profile operations, written once: add, edit, duplicate, remove with its
// secrets, log in and log out. The command line and the window only ask the
// user (ProfileValidator checks what was typed) and show what came of it.
//
//   add(profile) ----------------------------> ProfileStore::add ----> changed
//   edit(before, after)
//     |- same account (ProfileValidator::sameAccount) --> update -----> changed
//     `- another server, preset, user or client:
//          TokenService::forget (keychain) --ok--> update -------------> changed
//                                          `-failed-> nothing changed, error
//   remove(profile) --> TokenService::forget --ok--> ProfileStore::remove
//                           |                          --> its request history
//                           `-failed-> the profile is kept      --> changed
//   logIn(profile, secret, remember) --> TokenService::login
//                           --ok--> "remember the password" stored --> changed
//   logOut(profile) --> TokenService::logout (ends the server session)
//
// The secrets always go first: a profile is never gone, nor pointed at another
// server, while secrets of the old one stay behind or could be sent there.
class ProfileManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileManager)

public:
    using Done = std::function<void(Result<void>)>;
    struct EditOutcome
    {
        Profile profile;
        bool secretsForgotten = false; // another server or account: log in again
    };
    using EditDone = std::function<void(Result<EditOutcome>)>;

    // `history`: the request tester's, which forgets a removed profile.
    ProfileManager(ProfileStore &store, const PresetRegistry &presets, TokenService &tokens,
                   std::function<RequestHistory &()> history, QObject *parent = nullptr);
    ~ProfileManager() override = default;

    // Adds a checked profile (ProfileValidator::toProfile); it gets an id.
    Result<Profile> add(const Profile &profile);
    // Replaces `before` (as stored) by `after` (the same id), forgetting the
    // stored secrets first when they belong to another server or account.
    void edit(const Profile &before, const Profile &after, QObject *context, EditDone done);
    // A copy of `profile` to add: no id, and the first free name of
    // "NAME (copy)", "NAME (copy 2)", ...
    Profile duplicate(const Profile &profile, const QStringList &takenNames) const;
    // Forgets the secrets, then the profile and its request history.
    void remove(const Profile &profile, QObject *context, Done done);

    // Logs in with what the user typed, and keeps whether the password is to
    // be remembered (password presets) with the profile.
    TokenService::LoginTicket logIn(const Profile &profile, const QString &secret,
                                    bool rememberPassword, const QString &clientSecret,
                                    QObject *context, TokenService::TokenDone done);
    bool cancelLogIn(TokenService::LoginTicket ticket);
    void logOut(const Profile &profile, QObject *context, TokenService::LogoutDone done);

Q_SIGNALS:
    // This process wrote the profiles file (the profile may be gone).
    void changed(const QString &profileId);

private:
    Result<void> storeRememberPassword(const Profile &used);

    ProfileStore &m_store;
    const PresetRegistry &m_presets;
    TokenService &m_tokens;
    std::function<RequestHistory &()> m_history;
};

} // namespace tokenkeeper
