#pragma once

#include <QDeadlineTimer>
#include <QObject>
#include <QString>

#include <chrono>

class QClipboard;
class QMimeData;
class QTimer;

namespace tokenkeeper {

// Puts secrets on the clipboard as KeePassXC does (src/gui/Clipboard.cpp), but
// as an object the window is given rather than a singleton.
//
//   copy(text) --> QMimeData: the text, marked secret for clipboard managers
//        |          (KDE's hint, Windows' monitor exclusion, macOS' concealed type)
//        |-- every second: remainingChanged(seconds), for the status bar
//        |-- the user copies something else: released(); it is left alone
//        `-- the time is up, the application quits, or this object goes:
//              cleared, only if the clipboard still holds what we put there
class SecretClipboard final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretClipboard)

public:
    static constexpr std::chrono::milliseconds defaultClearAfter {45'000};

    explicit SecretClipboard(QClipboard *clipboard, QObject *parent = nullptr);
    ~SecretClipboard() override;

    void setClearAfter(std::chrono::milliseconds clearAfter) { m_clearAfter = clearAfter; }
    std::chrono::milliseconds clearAfter() const { return m_clearAfter; }

    // Puts `text` on the clipboard, marked as a secret, and starts the countdown.
    void copy(const QString &text);
    // Whether the clipboard still holds the secret we put there.
    bool holdsSecret() const;
    // Seconds until it is cleared (rounded up), or 0 when nothing is pending.
    int remainingSeconds() const;

    // The text with the clipboard managers' "do not keep this" marks.
    static QMimeData *secretMimeData(const QString &text);

public Q_SLOTS:
    // Clears the clipboard now if it still holds our secret.
    void clear();

Q_SIGNALS:
    void copied();
    void remainingChanged(int seconds);
    void cleared(); // we cleared it
    void released(); // something else replaced it; we will not touch it

private:
    void clearIfOurs();
    void onClipboardChanged();
    void onTick();
    void forget();

    QClipboard *m_clipboard;
    QTimer *m_tick; // once a second while a secret of ours is there
    QDeadlineTimer m_deadline;
    std::chrono::milliseconds m_clearAfter = defaultClearAfter;
    QString m_text; // what we put there; empty: nothing of ours
};

} // namespace tokenkeeper
