#include "profiledelegate.h"

#include "models/itemroles.h"
#include "plaintext.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace tokenkeeper {

namespace {

constexpr int margin = 6;
constexpr int lineSpacing = 2;

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

} // namespace

ProfileDelegate::ProfileDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{ }

QColor ProfileDelegate::stateColour(ProfileStatus::State state, bool expiring,
                                    const QPalette &palette)
{
    // Hues that mean the same in every theme, at a lightness that contrasts
    // with the palette's base: lighter on dark themes, darker on light ones.
    const int lightness = isDark(palette) ? 150 : 95;
    switch (state) {
    case ProfileStatus::State::Valid:
        return expiring ? QColor::fromHsl(35, 200, lightness)
                        : QColor::fromHsl(125, 140, lightness);
    case ProfileStatus::State::BackingOff:
        return QColor::fromHsl(35, 200, lightness);
    case ProfileStatus::State::LoginRequired:
        return QColor::fromHsl(0, 170, lightness);
    case ProfileStatus::State::Refreshing:
        return palette.color(QPalette::Highlight);
    case ProfileStatus::State::LoggedOut:
        break;
    }
    return palette.color(QPalette::PlaceholderText);
}

void ProfileDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    // The style draws the background, selection and focus; we draw the rest.
    opt.text.clear();
    opt.icon = QIcon();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const auto state = ProfileStatus::State(index.data(StateRole).toInt());
    const bool expiring = index.data(ExpiringRole).toBool();
    const bool selected = opt.state.testFlag(QStyle::State_Selected);
    const QPalette::ColorGroup group = !opt.state.testFlag(QStyle::State_Enabled)
        ? QPalette::Disabled
        : (opt.state.testFlag(QStyle::State_Active) ? QPalette::Active : QPalette::Inactive);
    const QColor text =
        opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    QColor secondary = text;
    secondary.setAlphaF(0.7f);

    QFont bold = opt.font;
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    const QFontMetrics metrics(opt.font);
    const QRect area = opt.rect.adjusted(margin, margin, -margin, -margin);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);

    // The state mark: filled when there is a token or trouble, a ring when idle.
    const int diameter = qMax(8, metrics.height() * 2 / 3);
    const QRectF mark(area.left(), area.center().y() - diameter / 2.0, diameter, diameter);
    const QColor colour = stateColour(state, expiring, opt.palette);
    const bool ring =
        state == ProfileStatus::State::LoggedOut || state == ProfileStatus::State::Refreshing;
    painter->setPen(QPen(colour, 2));
    painter->setBrush(ring ? QBrush(Qt::NoBrush) : QBrush(colour));
    painter->drawEllipse(mark.adjusted(1, 1, -1, -1));

    const int textLeft = area.left() + diameter + margin * 2;
    const QRect firstLine(textLeft, area.top(), area.right() - textLeft, boldMetrics.height());
    const QRect secondLine(textLeft, firstLine.bottom() + 1 + lineSpacing, firstLine.width(),
                           metrics.height());

    // First line: the name, and the preset on the right when there is room.
    const QString preset = index.data(PresetNameRole).toString();
    // A few pixels of slack: fractional advances would otherwise elide a text that fits.
    const int presetWidth = qMin(metrics.horizontalAdvance(preset) + 4, firstLine.width() * 2 / 5);
    painter->setFont(opt.font);
    painter->setPen(secondary);
    painter->drawText(firstLine, Qt::AlignRight | Qt::AlignVCenter,
                      metrics.elidedText(preset, Qt::ElideRight, presetWidth));
    painter->setFont(bold);
    painter->setPen(text);
    painter->drawText(firstLine.adjusted(0, 0, -presetWidth - margin, 0),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      boldMetrics.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight,
                                             firstLine.width() - presetWidth - margin));

    // Second line: the live status, in the state's colour when it needs attention.
    const bool attention = expiring || state == ProfileStatus::State::BackingOff
        || state == ProfileStatus::State::LoginRequired;
    painter->setFont(opt.font);
    painter->setPen(attention && !selected ? colour : secondary);
    painter->drawText(secondLine, Qt::AlignLeft | Qt::AlignVCenter,
                      metrics.elidedText(index.data(StatusTextRole).toString(), Qt::ElideRight,
                                         secondLine.width()));
    painter->restore();
}

QSize ProfileDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    QFont bold = option.font;
    bold.setBold(true);
    const int height =
        QFontMetrics(bold).height() + lineSpacing + QFontMetrics(option.font).height() + 2 * margin;
    return {QFontMetrics(option.font).averageCharWidth() * 28, height};
}

bool ProfileDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                const QStyleOptionViewItem &option, const QModelIndex &index)
{
    if (event && view && event->type() == QEvent::ToolTip && index.isValid()) {
        const QString text = index.data(Qt::ToolTipRole).toString();
        if (text.isEmpty()) {
            QToolTip::hideText();
        } else {
            QToolTip::showText(event->globalPos(), plainToolTip(text), view);
        }
        return true;
    }
    return QStyledItemDelegate::helpEvent(event, view, option, index);
}

} // namespace tokenkeeper
