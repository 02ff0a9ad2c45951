#include "profileactions.h"

#include "auth/presetregistry.h"
#include "engine/engine.h"
#include "engine/profilemanager.h"
#include "logindialog.h"
#include "scheduler/refreshscheduler.h"

#include <QAction>
#include <QLocale>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>

namespace tokenkeeper {

namespace {

constexpr int messageMs = 8000;

} // namespace

ProfileActions::ProfileActions(Engine &engine, QWidget *window, CurrentProfile current)
    : QObject(window)
    , m_engine(engine)
    , m_window(window)
    , m_current(std::move(current))
{
    m_add = new QAction(QIcon::fromTheme(QStringLiteral("list-add")), tr("&Add…"), this);
    m_add->setShortcut(QKeySequence::New);
    m_add->setShortcutContext(Qt::WindowShortcut);
    m_add->setToolTip(tr("Add a profile (Ctrl+N)"));
    connect(m_add, &QAction::triggered, this, &ProfileActions::addProfile);

    m_duplicate =
        new QAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("D&uplicate…"), this);
    m_duplicate->setToolTip(tr("Add a copy of this profile"));
    connect(m_duplicate, &QAction::triggered, this, &ProfileActions::duplicateProfile);

    m_edit = new QAction(tr("&Edit…"), this);
    connect(m_edit, &QAction::triggered, this, &ProfileActions::editProfile);

    // Delete only while the list has focus (the window adds it there): in
    // the filter it deletes text.
    m_delete = new QAction(QIcon::fromTheme(QStringLiteral("list-remove")), tr("&Delete…"), this);
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setShortcutContext(Qt::WidgetShortcut);
    m_delete->setToolTip(tr("Delete this profile and its secrets (Delete)"));
    connect(m_delete, &QAction::triggered, this, &ProfileActions::deleteProfile);

    m_logIn = new QAction(tr("&Log in…"), this);
    m_logIn->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_logIn->setShortcutContext(Qt::WindowShortcut);
    connect(m_logIn, &QAction::triggered, this, &ProfileActions::logIn);

    m_logOut = new QAction(tr("Log &out"), this);
    connect(m_logOut, &QAction::triggered, this, &ProfileActions::logOut);
}

void ProfileActions::setProfileState(bool hasProfile, bool hasSession)
{
    for (QAction *action : {m_duplicate, m_edit, m_delete, m_logIn}) {
        action->setEnabled(hasProfile);
    }
    m_logOut->setEnabled(hasProfile && hasSession);
}

QStringList ProfileActions::namesExcept(const QString &profileId) const
{
    QStringList names;
    for (const Profile &profile : m_engine.scheduler().profiles()) {
        if (profile.id != profileId) {
            names.append(profile.name);
        }
    }
    return names;
}

void ProfileActions::addProfile()
{
    Profile blank;
    // Most people add more of the same kind: start from the selected one's preset.
    if (const auto current = m_current()) {
        blank.preset = current->preset;
    }
    openEditor(ProfileEditor::Mode::Add, blank);
}

void ProfileActions::duplicateProfile()
{
    const auto profile = m_current();
    if (!profile) {
        return;
    }
    openEditor(ProfileEditor::Mode::Duplicate,
               m_engine.profiles().duplicate(*profile, namesExcept({})));
}

void ProfileActions::editProfile()
{
    if (const auto profile = m_current()) {
        openEditor(ProfileEditor::Mode::Edit, *profile);
    }
}

void ProfileActions::openEditor(ProfileEditor::Mode mode, const Profile &profile)
{
    auto *editor =
        new ProfileEditor(mode, profile, m_engine.presets(),
                          namesExcept(mode == ProfileEditor::Mode::Edit ? profile.id : QString()),
                          &m_engine.tokens(), m_window);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(
        editor, &ProfileEditor::saveRequested, this,
        [this, editor, before = profile](const Profile &after) { save(editor, before, after); });
    editor->open(); // window-modal, and the event loop goes on
}

void ProfileActions::save(ProfileEditor *editor, const Profile &before, const Profile &after)
{
    if (editor->mode() != ProfileEditor::Mode::Edit) {
        auto added = m_engine.profiles().add(after);
        if (!added) {
            editor->saveFailed(added.error().message());
            return;
        }
        Q_EMIT selectRequested(added->id);
        Q_EMIT message(tr("Added %1. Log in with Ctrl+L.").arg(added->name), messageMs);
        editor->saved();
        return;
    }
    const QPointer<ProfileEditor> guard(editor);
    m_engine.profiles().edit(
        before, after, this, [this, guard](const Result<ProfileManager::EditOutcome> &edited) {
            if (!edited) {
                if (guard) {
                    guard->saveFailed(edited.error().message());
                }
                return;
            }
            Q_EMIT selectRequested(edited->profile.id);
            Q_EMIT message(tr("Saved %1.").arg(edited->profile.name), messageMs);
            if (guard) {
                guard->saved();
            }
        });
}

void ProfileActions::deleteProfile()
{
    const auto profile = m_current();
    if (!profile) {
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete Profile"),
                                tr("Delete the profile \"%1\"?").arg(profile->name),
                                QMessageBox::NoButton, m_window);
    box->setObjectName(QStringLiteral("deleteConfirmation"));
    box->setTextFormat(Qt::PlainText); // the profiles file's words
    box->setAccessibleName(tr("Delete profile?"));
    box->setInformativeText(tr("Its secrets are removed from the keychain as well."));
    QPushButton *remove = box->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("confirmDeleteButton"));
    remove->setAccessibleName(tr("Delete"));
    QPushButton *cancel = box->addButton(QMessageBox::Cancel);
    cancel->setAccessibleName(tr("Cancel"));
    box->setDefaultButton(cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, remove, profile = *profile] {
        if (box->clickedButton() == remove) {
            removeProfile(profile);
        }
    });
    box->open();
}

void ProfileActions::removeProfile(const Profile &profile)
{
    Q_EMIT message(tr("Deleting %1…").arg(profile.name));
    m_engine.profiles().remove(profile, this, [this, profile](const Result<void> &removed) {
        if (!removed) {
            Q_EMIT message(
                tr("Could not delete %1: %2").arg(profile.name, removed.error().message()));
            return;
        }
        Q_EMIT message(tr("Deleted %1 and its secrets.").arg(profile.name), messageMs);
    });
}

void ProfileActions::logIn()
{
    const auto profile = m_current();
    if (!profile) {
        return;
    }
    const Preset *preset = m_engine.presets().find(profile->preset);
    if (!preset) {
        Q_EMIT message(tr("Cannot log in to %1: the preset \"%2\" is not installed.")
                           .arg(profile->name, profile->preset),
                       messageMs);
        return;
    }
    auto *dialog = new LoginDialog(*profile, *preset, m_engine.profiles(), m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    // The login goes through the engine's own token service: the scheduler
    // hears of the new token by its signal and the list shows it valid.
    connect(
        dialog, &LoginDialog::loggedIn, this, [this](const Profile &used, const TokenSet &tokens) {
            Q_EMIT message(
                tr("Logged in to %1; the token is valid until %2.")
                    .arg(used.name,
                         QLocale().toString(tokens.expiresAt.toLocalTime(), QLocale::ShortFormat)),
                messageMs);
        });
    dialog->open();
}

void ProfileActions::logOut()
{
    const auto profile = m_current();
    if (!profile) {
        return;
    }
    Q_EMIT message(tr("Logging out of %1…").arg(profile->name));
    m_engine.profiles().logOut(
        *profile, this,
        [this, name = profile->name](const Result<TokenService::LogoutOutcome> &out) {
            if (!out) {
                Q_EMIT message(tr("Could not log out of %1: %2").arg(name, out.error().message()));
                return;
            }
            QString text = out->serverSessionEnded
                ? tr("Logged out of %1; the server session is ended.").arg(name)
                : tr("Logged out of %1.").arg(name);
            if (!out->warning.isEmpty()) {
                text += u' ' + out->warning;
            }
            Q_EMIT message(text, messageMs);
        });
}

} // namespace tokenkeeper
