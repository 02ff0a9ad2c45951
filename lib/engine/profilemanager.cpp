#include "profilemanager.h"

#include "auth/presetregistry.h"
#include "core/logging.h"
#include "engine/profilevalidator.h"
#include "profiles/profilestore.h"
#include "request/requesthistory.h"

#include <QPointer>

namespace tokenkeeper {

ProfileManager::ProfileManager(ProfileStore &store, const PresetRegistry &presets,
                               TokenService &tokens, std::function<RequestHistory &()> history,
                               QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_presets(presets)
    , m_tokens(tokens)
    , m_history(std::move(history))
{ }

Result<Profile> ProfileManager::add(const Profile &profile)
{
    auto added = m_store.add(profile);
    if (added) {
        Q_EMIT changed(added->id);
    }
    return added;
}

void ProfileManager::edit(const Profile &before, const Profile &after, QObject *context,
                          EditDone done)
{
    const QPointer<QObject> guard(context);
    const auto write = [this, guard, after, done](bool forgotten) {
        if (!guard) {
            return;
        }
        if (auto updated = m_store.update(after); !updated) {
            done(updated.error());
            return;
        }
        Q_EMIT changed(after.id);
        done(EditOutcome {after, forgotten});
    };
    if (ProfileValidator::sameAccount(before, after)) {
        write(false);
        return;
    }
    // The stored secrets belong to the old server or account: they go first,
    // so that no refresh token is ever sent to the new server.
    m_tokens.forget(before, this, [guard, done, write](const Result<void> &forgotten) {
        if (!forgotten) {
            if (guard) {
                done(Error(forgotten.error().kind(),
                           tr("Nothing was changed: the old secrets could not be removed from "
                              "the keychain. %1")
                               .arg(forgotten.error().message())));
            }
            return;
        }
        write(true);
    });
}

Profile ProfileManager::duplicate(const Profile &profile, const QStringList &takenNames) const
{
    Profile copy = profile;
    copy.id.clear();
    copy.name = tr("%1 (copy)").arg(profile.name);
    for (int n = 2; takenNames.contains(copy.name); ++n) {
        copy.name = tr("%1 (copy %2)").arg(profile.name).arg(n);
    }
    return copy;
}

void ProfileManager::remove(const Profile &profile, QObject *context, Done done)
{
    const QPointer<QObject> guard(context);
    // The secrets first: a profile is never gone while its secrets stay behind.
    m_tokens.forget(profile, this, [this, guard, profile, done](const Result<void> &forgotten) {
        if (!forgotten) {
            if (guard) {
                done(Error(forgotten.error().kind(),
                           tr("The profile was kept, since its secrets could not be removed "
                              "from the keychain: %1")
                               .arg(forgotten.error().message())));
            }
            return;
        }
        if (auto removed = m_store.remove(profile.id); !removed) {
            if (guard) {
                done(removed.error());
            }
            return;
        }
        if (const auto forgot = m_history().forget(profile.id); !forgot) {
            qCWarning(lcProfiles).noquote() << forgot.error().message();
        }
        Q_EMIT changed(profile.id);
        if (guard) {
            done({});
        }
    });
}

TokenService::LoginTicket ProfileManager::logIn(const Profile &profile, const QString &secret,
                                                bool rememberPassword, const QString &clientSecret,
                                                QObject *context, TokenService::TokenDone done)
{
    Profile used = profile;
    used.rememberPassword = rememberPassword;
    const QPointer<QObject> guard(context);
    return m_tokens.login(
        used, secret, this,
        [this, guard, used, before = profile, done](Result<TokenSet> result) {
            if (!guard) {
                return;
            }
            if (result && used.rememberPassword != before.rememberPassword) {
                if (auto stored = storeRememberPassword(used); !stored) {
                    done(stored.error());
                    return;
                }
            }
            done(std::move(result));
        },
        clientSecret);
}

Result<void> ProfileManager::storeRememberPassword(const Profile &used)
{
    const Preset *preset = m_presets.find(used.preset);
    if (!preset || preset->secretKind != SecretKind::Password) {
        return {};
    }
    // Only that flag: the file may have changed since the login began.
    auto stored = m_store.find(used.id);
    if (!stored) {
        return stored.error();
    }
    Profile changedProfile = *stored;
    changedProfile.rememberPassword = used.rememberPassword;
    if (auto updated = m_store.update(changedProfile); !updated) {
        return updated.error();
    }
    Q_EMIT changed(used.id);
    return {};
}

bool ProfileManager::cancelLogIn(TokenService::LoginTicket ticket)
{
    return m_tokens.cancelLogin(ticket);
}

void ProfileManager::logOut(const Profile &profile, QObject *context, TokenService::LogoutDone done)
{
    m_tokens.logout(profile, context, std::move(done));
}

} // namespace tokenkeeper
