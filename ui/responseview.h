#pragma once

#include "request/requestrunner.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QHBoxLayout;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace tokenkeeper {

// The answer in the request tester: a status line (status, time, size, the
// server's reason), and tabs for the body (JSON indented, or raw; a long body
// in part, with a note), the headers and the timeline of what happened (a
// 401, the renewal, the retry). "Save body…" writes the whole body, not the
// part shown.
//
//   showSending() --> addStep()... --> showOutcome()   (or showCancelled())
class ResponseView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResponseView)

public:
    explicit ResponseView(QWidget *parent = nullptr);
    ~ResponseView() override = default;

    // Back to "No request sent yet.", nothing shown.
    void clear();
    // A request goes: the timeline is emptied and shown.
    void showSending();
    void showCancelled();
    void addStep(const RequestStep &step);
    // The answer, or what went wrong; kept without the tokens sent.
    void showOutcome(const RequestOutcome &outcome);
    const std::optional<RequestOutcome> &outcome() const { return m_outcome; }
    // While a request is under way, the last body cannot be saved.
    void setBusy(bool busy);
    // A button of the caller's at the end of the status line.
    void addToStatusLine(QWidget *widget);

public Q_SLOTS:
    void saveBody(); // asks where
    // The whole body of the last answer (not only what is shown) to `path`.
    bool saveBodyTo(const QString &path);

Q_SIGNALS:
    // Something to show in the window's status bar.
    void message(const QString &text);

private:
    void showBody();

    std::optional<RequestOutcome> m_outcome;

    QLabel *m_status;
    QHBoxLayout *m_statusLine;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_body;
    QCheckBox *m_raw;
    QLabel *m_partial;
    QPlainTextEdit *m_headers;
    QListWidget *m_timeline;
    QPushButton *m_save;
};

} // namespace tokenkeeper
