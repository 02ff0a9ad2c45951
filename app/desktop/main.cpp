// The desktop app: wiring only (ui/desktopapp.h puts the window, tray and
// settings together). It hosts the agent in-process, so the command line's
// `token`, `header` and `status` are answered by this process too.
#include "agent/agent.h"
#include "instance/singleinstance.h"
#include "platform/signalwatcher.h"
#include "settings/settingsstore.h"
#include "ui/desktopapp.h"
#include "ui/logindialog.h"
#include "ui/mainwindow.h"
#include "ui/requestpane.h"
#include "ui/trayicon.h"

#include <QApplication>
#include <QLineEdit>
#include <QMessageBox>
#include <QPalette>
#include <QPushButton>
#include <QTimer>

#include <csignal>
#include <pthread.h>

namespace {

// Qt 6.4 reading a KDE colour scheme by itself (Plasma without its Qt
// integration plugin) leaves the placeholder text, used for hints, dark on a
// dark base. Derive it from the text colour when it cannot be read.
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

// For packaging/screenshots.sh: TOKENKEEPER_DEMO_PROFILE selects a profile by
// name, and TOKENKEEPER_DEMO_VIEW=editor|login|login-rejected|inspector|settings|request
// opens that view on it once the window is up ("login-rejected" also tries a
// wrong password).
void openDemoView(tokenkeeper::DesktopApp &desktop)
{
    using namespace tokenkeeper;
    const QString profile = qEnvironmentVariable("TOKENKEEPER_DEMO_PROFILE");
    const QString view = qEnvironmentVariable("TOKENKEEPER_DEMO_VIEW");
    if (profile.isEmpty() && view.isEmpty()) {
        return;
    }
    QTimer::singleShot(1000, &desktop, [&desktop, profile, view] {
        MainWindow &window = desktop.window();
        if (!profile.isEmpty()) {
            window.selectProfile(profile);
        }
        if (view == u"editor") {
            window.editProfile();
        } else if (view == u"inspector") {
            window.inspectToken();
        } else if (view == u"settings") {
            desktop.openSettings();
        } else if (view == u"request") {
            // A POST to the demo server's echo, as a user would try one.
            window.showRequestTester();
            ApiRequest request;
            request.method = QByteArrayLiteral("POST");
            request.target = QStringLiteral("/oauth/api/echo?page=2");
            request.headers = {{QStringLiteral("X-Request-Id"), QStringLiteral("demo-42")}};
            request.body = QByteArrayLiteral(R"({"name": "Ada", "roles": ["admin"]})");
            request.contentType = QStringLiteral("application/json");
            window.requestPane()->loadRequest(request);
            window.requestPane()->send();
        } else if (view.startsWith(u"login")) {
            window.logIn();
            auto *dialog = window.findChild<LoginDialog *>();
            auto *secret =
                dialog ? dialog->findChild<QLineEdit *>(QStringLiteral("secretEdit")) : nullptr;
            auto *login =
                dialog ? dialog->findChild<QPushButton *>(QStringLiteral("loginButton")) : nullptr;
            if (secret && login && view == u"login-rejected") {
                secret->setText(QStringLiteral("not-the-password"));
                login->click();
            }
        }
    });
}

} // namespace

int main(int argc, char *argv[])
{
    using namespace tokenkeeper;
    // SIGINT and SIGTERM blocked before QApplication starts threads (they
    // inherit it), then read by the watcher: they arrive as a Qt signal.
    sigset_t quitSignals;
    sigemptyset(&quitSignals);
    sigaddset(&quitSignals, SIGINT);
    sigaddset(&quitSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &quitSignals, nullptr);
    QApplication app(argc, argv);
    SignalWatcher signalWatcher({SIGINT, SIGTERM});
    QApplication::setApplicationName(QStringLiteral("tokenkeeper"));
    QApplication::setApplicationDisplayName(QStringLiteral("Tokenkeeper"));
    QApplication::setApplicationVersion(QStringLiteral(TOKENKEEPER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("tokenkeeper"));
    QApplication::setWindowIcon(TrayIcon::appIcon());
    mendPlaceholderText();

    // Started again: the running app raises its window, and this one goes.
    SingleInstance instance;
    if (instance.raiseRunning()) {
        return 0;
    }
    Agent agent(Agent::Setup::fromEnvironment());
    if (const Result<void> started = agent.start(); !started) {
        // Before the event loop runs: the only loop this dialog can nest in is its own.
        QMessageBox::critical(nullptr, QStringLiteral("Tokenkeeper"), started.error().message());
        return 1;
    }

    DesktopApp desktop(agent, instance, SettingsStore::defaultPath());
    // Killed politely: the clipboard is cleared as for the tray's Quit.
    QObject::connect(&signalWatcher, &SignalWatcher::received, &desktop, &DesktopApp::quit);
    desktop.start();
    openDemoView(desktop);
    return app.exec();
}
