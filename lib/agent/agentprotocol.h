#pragma once

// The agent's protocol (docs/agent-protocol.md): JSON lines over a local
// socket in the user's runtime directory, one request and one answer a line.
//
//   -> {"id": 1, "cmd": "token", "profile": "prod", "min_valid": 30}
//   <- {"id": 1, "ok": true, "access_token": "…", "expires_at": "…", …}
//   <- {"id": 1, "ok": false, "error": {"kind": "login-required", "message": "…"}}

#include "auth/credentials.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace tokenkeeper::agentprotocol {

inline constexpr int version = 1;
inline constexpr int maxLineBytes = 64 * 1024;

// The socket and lock file of the user's agent.
QString runtimeDirectory();
QString socketPath();
QString lockPath();

// The answer to `token`, `header`, `refresh` and `unauthorized`, and what
// `tokenkeeper token --json` prints: profile, access_token, token_type,
// expires_at, expires_in, lifetime_source.
QJsonObject tokenAnswer(const QString &profileName, const TokenSet &tokens, const QDateTime &now);
// The token in such an answer; nothing when it has no access token or expiry.
std::optional<TokenSet> tokenFromAnswer(const QJsonObject &answer);

} // namespace tokenkeeper::agentprotocol
