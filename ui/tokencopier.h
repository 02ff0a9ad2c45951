#pragma once

#include "profiles/profile.h"

#include <QObject>

namespace tokenkeeper {

class SecretClipboard;
class TokenService;

// Puts a profile's header or token on the secret clipboard:
//
//   copy(profile) --> TokenService::token(profile, 60 s) ---(async)---> clipboard
//                     (an almost expired token is renewed first; nothing
//                      waits: the answer lands when it comes, and only the
//                      latest copy asked for reaches the clipboard)
class TokenCopier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenCopier)

public:
    enum class What { Header, Token };
    // A copied token is valid for at least this long.
    static constexpr int minValidSeconds = 60;

    TokenCopier(TokenService &tokens, SecretClipboard *clipboard, QObject *parent = nullptr);
    ~TokenCopier() override = default;

    void copy(const Profile &profile, What what);

Q_SIGNALS:
    // A copy asked for has ended: on the clipboard, or not (`message` says why).
    void finished(const QString &profileName, bool ok, const QString &message);

private:
    TokenService &m_tokens;
    SecretClipboard *m_clipboard;
    quint64 m_serial = 0;
};

} // namespace tokenkeeper
