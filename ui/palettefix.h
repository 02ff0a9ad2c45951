#pragma once

namespace tokenkeeper {

// Qt 6.4 reading a KDE colour scheme by itself (Plasma without its Qt
// integration plugin) leaves the placeholder text, used for hints, dark on a
// dark base. Derives it from the text colour when it cannot be read; call once
// after QApplication is made.
void mendPlaceholderText();

} // namespace tokenkeeper
