#pragma once

namespace tokenkeeper {

class DesktopApp;

// Linked only into tokenkeeper-desktop-demo (`make run`, screenshots), never
// into the shipped tokenkeeper-desktop.
//
// For packaging/screenshots.sh: TOKENKEEPER_DEMO_PROFILE selects a profile by
// name, and TOKENKEEPER_DEMO_VIEW=editor|login|login-rejected|inspector|
// settings|request opens that view on it a second after start
// ("login-rejected" also tries a wrong password, "request" sends a POST to
// the demo server's echo). Does nothing when neither is set.
void openDemoView(DesktopApp &desktop);

} // namespace tokenkeeper
