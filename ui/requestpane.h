#pragma once

#include "profiles/profile.h"
#include "request/apirequest.h"
#include "request/requestrunner.h"

#include <QPointer>
#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QToolButton;

namespace tokenkeeper {

class RequestHistory;
class RequestHistoryList;
class ResponseView;
class SecretClipboard;
class SecretStore;
class TokenProvider;

// The request tester of one profile: method, path or URL, headers and body;
// Send (Ctrl+Enter) and Cancel; the answer (ResponseView: status, time, size,
// headers and body, the timeline of what happened); "Copy as curl"; the
// profile's last requests (RequestHistoryList, no secret in them: the
// profile's stored secrets, read from `secrets`, and every token sent are
// redacted, recordRequest()) to load again.
//
//   Send --> RequestRunner::send(profile, request) ---(async)---> answer
//              `-- a URL off the profile's server is sent only after the
//                  user ticks "Send the token to HOST"
//
// The Authorization header is never typed here: the runner adds it.
class RequestPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestPane)

public:
    RequestPane(RequestRunner &runner, TokenProvider &tokens, RequestHistory &history,
                std::function<SecretStore &()> secrets, SecretClipboard *clipboard,
                QWidget *parent = nullptr);
    ~RequestPane() override;

    // Shows this profile's requests; another profile cancels what is under way.
    void setProfile(const Profile &profile);
    // Puts a request in the editors (from the history, say).
    void loadRequest(const ApiRequest &request);
    // The request as typed, or why it cannot be sent.
    Result<ApiRequest> typedRequest() const;
    // Shows the profile's history as it is now (a setting dropped some of it).
    void showHistoryAgain();
    // Puts the keyboard in the path or URL field.
    void focusTarget();
    bool busy() const { return m_inFlight != nullptr; }
    // The last answer, if any.
    const std::optional<RequestOutcome> &lastOutcome() const;

public Q_SLOTS:
    void send();
    void cancel();
    void copyAsCurl(); // the header fetched by `tokenkeeper header`
    void copyAsCurlWithToken(); // the literal header: a secret on the clipboard
    void saveBody(); // asks where
    // The whole body of the last answer (not only what is shown) to `path`.
    bool saveBodyTo(const QString &path);

Q_SIGNALS:
    void requestFinished(const tokenkeeper::RequestOutcome &outcome);
    // Something to show in the window's status bar.
    void message(const QString &text);

private:
    void buildUi();
    // The typed request and where it goes; nothing (and the reason shown) when
    // it cannot be sent.
    std::optional<std::pair<ApiRequest, QUrl>> typedRequestAndUrl();
    void updateTargetCheck();
    void setBusy(bool busy);

    RequestRunner &m_runner;
    TokenProvider &m_tokens;
    RequestHistory &m_history;
    std::function<SecretStore &()> m_secrets;
    SecretClipboard *m_clipboard;
    std::optional<Profile> m_profile;
    QPointer<QObject> m_inFlight; // dropping it cancels the request

    QComboBox *m_method = nullptr;
    QLineEdit *m_target = nullptr;
    QLabel *m_base = nullptr;
    QPushButton *m_send = nullptr;
    QPushButton *m_cancel = nullptr;
    QWidget *m_otherHost = nullptr;
    QLabel *m_otherHostText = nullptr;
    QCheckBox *m_otherHostConsent = nullptr;
    QLabel *m_inputError = nullptr;
    QTabWidget *m_requestTabs = nullptr;
    QPlainTextEdit *m_headers = nullptr;
    QComboBox *m_contentType = nullptr;
    QPlainTextEdit *m_body = nullptr;
    RequestHistoryList *m_historyList = nullptr;
    ResponseView *m_response = nullptr;
    QToolButton *m_curl = nullptr;
};

} // namespace tokenkeeper
