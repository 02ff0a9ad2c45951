#include "demoview.h"

#include "desktopapp.h"
#include "logindialog.h"
#include "mainwindow.h"
#include "request/apirequest.h"
#include "requestpane.h"

#include <QLineEdit>
#include <QPushButton>
#include <QTimer>

namespace tokenkeeper {

void openDemoView(DesktopApp &desktop)
{
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

} // namespace tokenkeeper
