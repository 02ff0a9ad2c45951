#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace tokenkeeper {

class Error;
class TokenProvider;

// A bar across the top of the window when the OS keychain cannot be reached:
// what happened, what to do, and the ways on.
//
//   TokenProvider::tokenFailed(Error::Kind::Keychain) --> shown, with the error
//   "Try again"           --> retryRequested(): the application rechecks
//   "Keep in memory only" --> memoryOnlyChosen() (offered once setMemoryOnlyOffered()),
//                             then says what that means (showMemoryOnly())
//   "Dismiss"             --> hidden until the next keychain failure
//
// Once in memory-only mode, keychain failures (of reads started before) are
// not shown again: there is no keychain to try.
class KeychainBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeychainBanner)

public:
    explicit KeychainBanner(TokenProvider &tokens, QWidget *parent = nullptr);
    ~KeychainBanner() override = default;

    // Offers "Keep tokens in memory only" (the engine must be able to).
    void setMemoryOnlyOffered(bool offered);
    QString message() const;
    bool isMemoryOnly() const { return m_memoryOnlyMode; }

public Q_SLOTS:
    void showFailure(const tokenkeeper::Error &error);
    // Says plainly that secrets live only until the app quits.
    void showMemoryOnly();

Q_SIGNALS:
    void retryRequested();
    void memoryOnlyChosen();

private:
    QLabel *m_text;
    QPushButton *m_retry;
    QPushButton *m_memoryOnly;
    QPushButton *m_dismiss;
    bool m_memoryOnlyMode = false;
};

} // namespace tokenkeeper
