#pragma once

#include "itemroles.h"
#include "profiles/profile.h"
#include "scheduler/profilestatus.h"

#include <QAbstractListModel>
#include <QHash>
#include <QList>

namespace tokenkeeper {

class Clock;
class PresetRegistry;
class RefreshScheduler;

// The refresh scheduler's profiles and their statuses, one row each, in the
// scheduler's order; roles in itemroles.h.
//
//   RefreshScheduler::profilesChanged() --> sync(): removed profiles' rows
//        go, new ones are inserted where the scheduler has them
//   RefreshScheduler::statusChanged(id) --> dataChanged(row)
//   tick(), once a second while a view shows it -->
//        dataChanged(StatusTextRole) for the rows with a countdown
//
// Countdowns are computed from the injected Clock, so tests move time.
class ProfileListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileListModel)

public:
    ProfileListModel(const RefreshScheduler *scheduler, const PresetRegistry &presets,
                     const Clock &clock, QObject *parent = nullptr);
    ~ProfileListModel() override = default;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // The row of a profile id, or -1.
    int rowOf(const QString &profileId) const;
    // The profile and status of a row (row must be valid).
    const Profile &profileAt(int row) const;
    const ProfileStatus &statusAt(int row) const;

    // A token with less than this left is shown as "expiring".
    static constexpr qint64 expiringSeconds = 60;

    // How a status reads at `now`: "valid for 4:12", "expiring in 0:42",
    // "refreshing", "backing off, next try in 0:08", "login required", ...
    static QString statusText(const ProfileStatus &status, const QDateTime &now);
    static bool isExpiring(const ProfileStatus &status, const QDateTime &now);
    // "4:12", "1:02:03", "2 d 3 h".
    static QString formatDuration(qint64 seconds);

public Q_SLOTS:
    // Brings the rows in line with the scheduler's profile list.
    void sync();
    // Moves the countdowns on; call once a second while a view is visible.
    void tick();

private:
    struct Row
    {
        Profile profile;
        ProfileStatus status;
    };

    void onStatusChanged(const QString &profileId);
    Row rowFor(const Profile &profile) const;
    void reindex();

    const RefreshScheduler *m_scheduler;
    const PresetRegistry &m_presets;
    const Clock &m_clock;
    QList<Row> m_rows;
    QHash<QString, int> m_index; // profile id -> row
};

} // namespace tokenkeeper
