#pragma once

namespace tokenkeeper {

class DesktopApp;

// Qt 6.4 reading a KDE colour scheme by itself (Plasma without its Qt
// integration plugin) leaves the placeholder text, used for hints, dark on a
// dark base. Derives it from the text colour when it cannot be read; call once
// after QApplication is made.
void mendPlaceholderText();

// For packaging/screenshots.sh: TOKENKEEPER_DEMO_PROFILE selects a profile by
// name, and TOKENKEEPER_DEMO_VIEW=editor|login|login-rejected|inspector|
// settings|request opens that view on it a second after start
// ("login-rejected" also tries a wrong password, "request" sends a POST to
// the demo server's echo). Does nothing when neither is set.
void openDemoView(DesktopApp &desktop);

} // namespace tokenkeeper
