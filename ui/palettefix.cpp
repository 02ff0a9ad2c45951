#include "palettefix.h"

#include <QColor>
#include <QGuiApplication>
#include <QPalette>

namespace tokenkeeper {

void mendPlaceholderText()
{
    QPalette palette = QGuiApplication::palette();
    const auto lightness = [&palette](QPalette::ColorRole role) {
        return palette.color(QPalette::Active, role).lightness();
    };
    if (qAbs(lightness(QPalette::PlaceholderText) - lightness(QPalette::Base)) >= 60) {
        return;
    }
    QColor placeholder = palette.color(QPalette::Active, QPalette::Text);
    placeholder.setAlphaF(0.6f);
    palette.setColor(QPalette::PlaceholderText, placeholder);
    QGuiApplication::setPalette(palette);
}

} // namespace tokenkeeper
