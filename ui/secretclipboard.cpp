#include "secretclipboard.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QMimeData>
#include <QTimer>

#include <algorithm>

namespace tokenkeeper {

SecretClipboard::SecretClipboard(QClipboard *clipboard, QObject *parent)
    : QObject(parent)
    , m_clipboard(clipboard)
    , m_tick(new QTimer(this))
{
    m_tick->setInterval(1000);
    m_tick->setTimerType(Qt::CoarseTimer);
    connect(m_tick, &QTimer::timeout, this, &SecretClipboard::onTick);
    connect(m_clipboard, &QClipboard::dataChanged, this, &SecretClipboard::onClipboardChanged);
    if (QCoreApplication *app = QCoreApplication::instance()) {
        connect(app, &QCoreApplication::aboutToQuit, this, &SecretClipboard::clear);
    }
}

SecretClipboard::~SecretClipboard()
{
    clearIfOurs();
}

QMimeData *SecretClipboard::secretMimeData(const QString &text)
{
    auto *mime = new QMimeData;
    mime->setText(text);
    // KDE's Klipper and other Linux clipboard managers do not keep it.
    mime->setData(QStringLiteral("x-kde-passwordManagerHint"), QByteArrayLiteral("secret"));
    // Windows: kept out of the clipboard history and cloud clipboard.
    mime->setData(QStringLiteral("ExcludeClipboardContentFromMonitorProcessing"),
                  QByteArrayLiteral("1"));
    // macOS: clipboard managers that honour nspasteboard.org's concealed type.
    mime->setData(QStringLiteral("application/x-nspasteboard-concealed-type"), text.toUtf8());
    return mime;
}

void SecretClipboard::copy(const QString &text)
{
    // m_text first: setMimeData() announces the change at once, and it is ours.
    m_text = text;
    m_clipboard->setMimeData(secretMimeData(text), QClipboard::Clipboard);
    m_deadline.setRemainingTime(m_clearAfter, Qt::CoarseTimer);
    m_tick->setInterval(qMin<int>(1000, int(m_clearAfter.count())));
    m_tick->start();
    Q_EMIT copied();
    Q_EMIT remainingChanged(remainingSeconds());
}

bool SecretClipboard::holdsSecret() const
{
    return !m_text.isEmpty() && m_clipboard->text(QClipboard::Clipboard) == m_text;
}

int SecretClipboard::remainingSeconds() const
{
    if (m_text.isEmpty()) {
        return 0;
    }
    const qint64 ms = m_deadline.remainingTime();
    return ms <= 0 ? 0 : int((ms + 999) / 1000);
}

void SecretClipboard::clear()
{
    if (m_text.isEmpty()) {
        return;
    }
    const bool ours = holdsSecret();
    clearIfOurs();
    if (ours) {
        Q_EMIT cleared();
    } else {
        Q_EMIT released();
    }
}

void SecretClipboard::clearIfOurs()
{
    const bool ours = holdsSecret();
    forget(); // first: the change clear() announces is not somebody else's
    if (ours) {
        m_clipboard->clear(QClipboard::Clipboard);
    }
}

void SecretClipboard::onClipboardChanged()
{
    if (!m_text.isEmpty() && !holdsSecret()) {
        forget();
        Q_EMIT released();
    }
}

void SecretClipboard::onTick()
{
    if (m_deadline.hasExpired()) {
        clear();
        return;
    }
    // The last step may be shorter than a second: clear on time.
    m_tick->setInterval(int(std::clamp<qint64>(m_deadline.remainingTime(), 1, 1000)));
    Q_EMIT remainingChanged(remainingSeconds());
}

void SecretClipboard::forget()
{
    m_text.clear();
    m_tick->stop();
    m_deadline = QDeadlineTimer();
}

} // namespace tokenkeeper
