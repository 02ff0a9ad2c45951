#pragma once

#include "scheduler/profilestatus.h"

#include <QStyledItemDelegate>

namespace tokenkeeper {

// Paints a profile row of ProfileListModel: a state mark, the name and preset
// on the first line, the live status on the second. Colours are derived from
// the view's palette, so dark and light themes both read well; the mark is
// painted as vector shapes, sharp at any device pixel ratio.
class ProfileDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileDelegate)

public:
    explicit ProfileDelegate(QObject *parent = nullptr);
    ~ProfileDelegate() override = default;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    // The tooltip (the status and the server's reason) as plain text.
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    // The colour of a state on `palette`: green, amber, red or the palette's own.
    static QColor stateColour(ProfileStatus::State state, bool expiring, const QPalette &palette);
};

} // namespace tokenkeeper
