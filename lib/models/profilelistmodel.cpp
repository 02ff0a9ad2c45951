#include "profilelistmodel.h"

#include "auth/presetregistry.h"
#include "core/clock.h"
#include "scheduler/refreshscheduler.h"

#include <QSet>

namespace tokenkeeper {

namespace {

// Whether anything a row shows or a view acts on differs. Every field of
// Profile: a field added there belongs here too.
bool sameProfile(const Profile &a, const Profile &b)
{
    return a.id == b.id && a.name == b.name && a.preset == b.preset && a.baseUrl == b.baseUrl
        && a.username == b.username && a.clientId == b.clientId && a.scope == b.scope
        && a.tokenUrl == b.tokenUrl && a.lifetimeSeconds == b.lifetimeSeconds
        && a.clientAuth == b.clientAuth && a.rememberPassword == b.rememberPassword
        && a.confidentialClient == b.confidentialClient && a.params == b.params;
}

bool hasCountdown(const ProfileStatus &status)
{
    return status.state == ProfileStatus::State::Valid
        || status.state == ProfileStatus::State::BackingOff;
}

} // namespace

ProfileListModel::ProfileListModel(const RefreshScheduler *scheduler, const PresetRegistry &presets,
                                   const Clock &clock, QObject *parent)
    : QAbstractListModel(parent)
    , m_scheduler(scheduler)
    , m_presets(presets)
    , m_clock(clock)
{
    connect(m_scheduler, &RefreshScheduler::statusChanged, this,
            &ProfileListModel::onStatusChanged);
    connect(m_scheduler, &RefreshScheduler::profilesChanged, this, &ProfileListModel::sync);
    sync();
}

int ProfileListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ProfileListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row &row = m_rows.at(index.row());
    const auto presetName = [this, &row] {
        const Preset *preset = m_presets.find(row.profile.preset);
        return preset && !preset->name.isEmpty() ? preset->name : row.profile.preset;
    };
    switch (role) {
    case Qt::DisplayRole:
    case ProfileNameRole:
        return row.profile.name;
    case Qt::ToolTipRole:
        return row.status.reason.isEmpty() ? statusText(row.status, m_clock.now())
                                           : QString(statusText(row.status, m_clock.now())
                                                     + QStringLiteral(": ") + row.status.reason);
    case Qt::AccessibleTextRole:
        return QString(row.profile.name + QStringLiteral(", ") + presetName() + QStringLiteral(", ")
                       + statusText(row.status, m_clock.now()));
    case ProfileIdRole:
        return row.profile.id;
    case PresetIdRole:
        return row.profile.preset;
    case PresetNameRole:
        return presetName();
    case StateRole:
        return int(row.status.state);
    case ExpiringRole:
        return isExpiring(row.status, m_clock.now());
    case ValidUntilRole:
        return row.status.validUntil;
    case ObtainedAtRole:
        return row.status.obtainedAt;
    case LastRefreshRole:
        return row.status.lastRefresh;
    case NextRefreshRole:
        return row.status.nextRefresh;
    case ReasonRole:
        return row.status.reason;
    case StatusTextRole:
        return statusText(row.status, m_clock.now());
    case SearchTextRole:
        return QString(row.profile.name + u' ' + presetName() + u' ' + row.profile.baseUrl.host()
                       + u' ' + row.profile.username + u' ' + row.profile.clientId);
    default:
        return {};
    }
}

QHash<int, QByteArray> ProfileListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(ProfileIdRole, QByteArrayLiteral("profileId"));
    names.insert(ProfileNameRole, QByteArrayLiteral("name"));
    names.insert(PresetIdRole, QByteArrayLiteral("presetId"));
    names.insert(PresetNameRole, QByteArrayLiteral("presetName"));
    names.insert(StateRole, QByteArrayLiteral("state"));
    names.insert(ExpiringRole, QByteArrayLiteral("expiring"));
    names.insert(ValidUntilRole, QByteArrayLiteral("validUntil"));
    names.insert(ObtainedAtRole, QByteArrayLiteral("obtainedAt"));
    names.insert(LastRefreshRole, QByteArrayLiteral("lastRefresh"));
    names.insert(NextRefreshRole, QByteArrayLiteral("nextRefresh"));
    names.insert(ReasonRole, QByteArrayLiteral("reason"));
    names.insert(StatusTextRole, QByteArrayLiteral("statusText"));
    names.insert(SearchTextRole, QByteArrayLiteral("searchText"));
    return names;
}

int ProfileListModel::rowOf(const QString &profileId) const
{
    return m_index.value(profileId, -1);
}

const Profile &ProfileListModel::profileAt(int row) const
{
    Q_ASSERT(row >= 0 && row < m_rows.size());
    return m_rows.at(row).profile;
}

const ProfileStatus &ProfileListModel::statusAt(int row) const
{
    Q_ASSERT(row >= 0 && row < m_rows.size());
    return m_rows.at(row).status;
}

QString ProfileListModel::formatDuration(qint64 seconds)
{
    seconds = qMax<qint64>(0, seconds);
    if (seconds >= 86'400) {
        return tr("%1 d %2 h").arg(seconds / 86'400).arg(seconds % 86'400 / 3600);
    }
    const QString mmss = QStringLiteral("%1:%2")
                             .arg(seconds / 60 % 60, seconds >= 3600 ? 2 : 1, 10, QChar(u'0'))
                             .arg(seconds % 60, 2, 10, QChar(u'0'));
    return seconds >= 3600 ? QString::number(seconds / 3600) + u':' + mmss : mmss;
}

bool ProfileListModel::isExpiring(const ProfileStatus &status, const QDateTime &now)
{
    if (status.state != ProfileStatus::State::Valid || !status.validUntil.isValid()) {
        return false;
    }
    const qint64 left = now.secsTo(status.validUntil);
    const bool due = status.nextRefresh.isValid() && status.nextRefresh <= now;
    return left > 0 && (left < expiringSeconds || due);
}

QString ProfileListModel::statusText(const ProfileStatus &status, const QDateTime &now)
{
    QString text;
    switch (status.state) {
    case ProfileStatus::State::LoggedOut:
        return tr("logged out");
    case ProfileStatus::State::Refreshing:
        return tr("refreshing");
    case ProfileStatus::State::LoginRequired:
        return tr("login required");
    case ProfileStatus::State::BackingOff: {
        if (!status.nextRefresh.isValid()) {
            return tr("backing off");
        }
        const qint64 wait = now.secsTo(status.nextRefresh);
        return wait > 0 ? tr("backing off, next try in %1").arg(formatDuration(wait))
                        : tr("backing off, retrying now");
    }
    case ProfileStatus::State::Valid: {
        if (!status.validUntil.isValid()) {
            text = tr("valid");
        } else {
            const qint64 left = now.secsTo(status.validUntil);
            text = left <= 0              ? tr("expired")
                : isExpiring(status, now) ? tr("expiring in %1").arg(formatDuration(left))
                                          : tr("valid for %1").arg(formatDuration(left));
        }
        break;
    }
    }
    if (status.keychainWritePending) {
        text += tr(" (not yet saved to the keychain)");
    }
    return text;
}

void ProfileListModel::sync()
{
    const QList<Profile> profiles = m_scheduler->profiles();
    QSet<QString> wanted;
    wanted.reserve(profiles.size());
    for (const Profile &profile : profiles) {
        wanted.insert(profile.id);
    }

    // Rows whose profile is gone, in runs from the end.
    for (int last = int(m_rows.size()) - 1; last >= 0;) {
        if (wanted.contains(m_rows.at(last).profile.id)) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && !wanted.contains(m_rows.at(first - 1).profile.id)) {
            --first;
        }
        beginRemoveRows({}, first, last);
        m_rows.remove(first, last - first + 1);
        reindex();
        endRemoveRows();
        last = first - 1;
    }

    // The rows left must be in the scheduler's order; if they are not, start over.
    int survivor = 0;
    for (const Profile &profile : profiles) {
        if (m_index.contains(profile.id)) {
            if (m_rows.at(survivor).profile.id != profile.id) {
                beginResetModel();
                m_rows.clear();
                for (const Profile &each : profiles) {
                    m_rows.append(rowFor(each));
                }
                reindex();
                endResetModel();
                return;
            }
            ++survivor;
        }
    }

    // New profiles go in where the scheduler has them; changed ones are updated.
    for (int i = 0; i < profiles.size();) {
        if (i < m_rows.size() && m_rows.at(i).profile.id == profiles.at(i).id) {
            if (!sameProfile(m_rows.at(i).profile, profiles.at(i))) {
                m_rows[i] = rowFor(profiles.at(i));
                Q_EMIT dataChanged(index(i), index(i));
            }
            ++i;
            continue;
        }
        int end = i;
        while (end < profiles.size() && !m_index.contains(profiles.at(end).id)) {
            ++end;
        }
        beginInsertRows({}, i, end - 1);
        for (int k = i; k < end; ++k) {
            m_rows.insert(k, rowFor(profiles.at(k)));
        }
        reindex();
        endInsertRows();
        i = end;
    }
}

void ProfileListModel::tick()
{
    int first = -1;
    int last = -1;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (hasCountdown(m_rows.at(row).status)) {
            first = first < 0 ? row : first;
            last = row;
        }
    }
    if (first >= 0) {
        Q_EMIT dataChanged(index(first), index(last),
                           {StatusTextRole, ExpiringRole, Qt::ToolTipRole, Qt::AccessibleTextRole});
    }
}

void ProfileListModel::onStatusChanged(const QString &profileId)
{
    const int row = rowOf(profileId);
    if (row < 0) {
        sync(); // a profile the scheduler was given since: its row comes with its status
        return;
    }
    m_rows[row].status = m_scheduler->status(profileId).value_or(ProfileStatus());
    Q_EMIT dataChanged(index(row), index(row));
}

ProfileListModel::Row ProfileListModel::rowFor(const Profile &profile) const
{
    return {profile, m_scheduler->status(profile.id).value_or(ProfileStatus())};
}

void ProfileListModel::reindex()
{
    m_index.clear();
    m_index.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row) {
        m_index.insert(m_rows.at(row).profile.id, row);
    }
}

} // namespace tokenkeeper
