// The desktop app's benchmark (issue 4): with 1,000 profiles,
//   - start to first painted window: from main() to the window's first paint,
//     in fresh child processes (median of --runs);
//   - idle: with the window hidden and nothing due (no profile logged in),
//     how many timer events the process handles in --idle-seconds;
//   - RSS (VmRSS and VmHWM) then.
// Prints: desktop profiles=N start_to_paint_ms=… idle_timer_events=… rss_mb=… peak_rss_mb=…
// Run it inside tests/run-in-keyring.sh with QT_QPA_PLATFORM=offscreen (bench/run.sh does).
#include "agent/agent.h"
#include "core/clock.h"
#include "engine/engine.h"
#include "profiles/profilestore.h"
#include "ui/mainwindow.h"
#include "ui/secretclipboard.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

using namespace tokenkeeper;

namespace {

double statusMiB(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(field)) {
            return line.mid(int(qstrlen(field))).trimmed().split(' ').first().toDouble() / 1024.0;
        }
    }
    return -1;
}

// Counts timer events delivered to any object of this thread.
class TimerCounter final : public QObject
{
public:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Timer) {
            ++count;
        }
        return QObject::eventFilter(watched, event);
    }
    int count = 0;
};

// Signals the first paint of the watched window.
class PaintWatcher final : public QObject
{
public:
    explicit PaintWatcher(std::function<void()> painted)
        : m_painted(std::move(painted))
    { }
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && m_painted) {
            auto painted = std::move(m_painted);
            m_painted = {};
            QTimer::singleShot(0, this, painted);
        }
        return QObject::eventFilter(watched, event);
    }

private:
    std::function<void()> m_painted;
};

void writeProfiles(int count)
{
    ProfileStore store(ProfileStore::defaultPath());
    if (store.load() && !store.load()->isEmpty()) {
        return;
    }
    QList<Profile> profiles;
    for (int i = 0; i < count; ++i) {
        Profile profile;
        profile.name = QStringLiteral("profile %1").arg(i, 4, 10, QLatin1Char('0'));
        profile.preset = QStringLiteral("squirro");
        profile.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
        if (!store.add(profile)) {
            qFatal("cannot write the profiles file");
        }
    }
}

// One child: start, show, first paint; then (with --idle) hide and count.
int child(QApplication &app, const QElapsedTimer &sinceMain, int idleSeconds)
{
    Engine engine(EngineOptions::fromEnvironment());
    Agent agent(engine);
    if (const auto started = agent.start(); !started) {
        QTextStream(stderr) << started.error().message() << '\n';
        return 1;
    }
    SecretClipboard clipboard(QGuiApplication::clipboard());
    MainWindow window(engine, engine.clock(), &clipboard);
    TimerCounter timers;
    PaintWatcher watcher([&] {
        QTextStream(stdout) << "paint_ms="
                            << QString::number(sinceMain.nsecsElapsed() / 1e6, 'f', 1) << Qt::endl;
        if (idleSeconds <= 0) {
            app.quit();
            return;
        }
        // Let the agent look at every profile (nothing is stored: all logged
        // out), hide the window, then count what still wakes the process.
        QTimer::singleShot(5000, &app, [&] {
            window.hide();
            QTimer::singleShot(500, &app, [&] {
                app.installEventFilter(&timers);
                QTimer::singleShot(idleSeconds * 1000, &app, [&] {
                    app.removeEventFilter(&timers);
                    QTextStream(stdout)
                        << "idle_timer_events=" << timers.count - 1 // our own
                        << " rss_mb=" << QString::number(statusMiB("VmRSS:"), 'f', 1)
                        << " peak_rss_mb=" << QString::number(statusMiB("VmHWM:"), 'f', 1)
                        << Qt::endl;
                    app.quit();
                });
            });
        });
    });
    window.installEventFilter(&watcher);
    window.show();
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto option = [&args](const QString &name, int fallback) {
        const qsizetype at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? args.at(at + 1).toInt() : fallback;
    };
    if (args.contains(QStringLiteral("--child"))) {
        return child(app, sinceMain, option(QStringLiteral("--idle-seconds"), 0));
    }
    const int profiles = option(QStringLiteral("--profiles"), 1000);
    const int runs = option(QStringLiteral("--runs"), 5);
    const int idleSeconds = option(QStringLiteral("--idle-seconds"), 10);
    writeProfiles(profiles);

    const auto runChild = [&](const QStringList &extra) {
        QProcess process;
        process.start(QCoreApplication::applicationFilePath(),
                      QStringList {QStringLiteral("--child")} + extra);
        process.waitForFinished(120'000);
        return QString::fromUtf8(process.readAllStandardOutput());
    };
    const auto field = [](const QString &text, const QString &name) {
        for (const QString &word : text.split(QRegularExpression(QStringLiteral("\\s+")))) {
            if (word.startsWith(name + u'=')) {
                return word.mid(name.size() + 1);
            }
        }
        return QString();
    };
    QList<double> paints;
    runChild({}); // warm the page cache: the first start of a binary is not the typical one
    for (int i = 0; i < runs; ++i) {
        const double ms = field(runChild({}), QStringLiteral("paint_ms")).toDouble();
        if (ms > 0) {
            paints.append(ms);
        }
    }
    std::sort(paints.begin(), paints.end());
    const QString idle = runChild({QStringLiteral("--idle-seconds"), QString::number(idleSeconds)});
    QTextStream(stdout) << "desktop profiles=" << profiles << " runs=" << paints.size()
                        << " start_to_paint_ms="
                        << (paints.isEmpty() ? -1 : paints.at(paints.size() / 2))
                        << " idle_seconds=" << idleSeconds
                        << " idle_timer_events=" << field(idle, QStringLiteral("idle_timer_events"))
                        << " rss_mb=" << field(idle, QStringLiteral("rss_mb"))
                        << " peak_rss_mb=" << field(idle, QStringLiteral("peak_rss_mb"))
                        << Qt::endl;
    return paints.size() == runs ? 0 : 1;
}
