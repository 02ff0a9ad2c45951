#pragma once

// The agent's protocol (docs/agent-protocol.md): JSON lines over a local
// socket in the user's runtime directory, one request a line and one answer
// a line; a list too long for one line (`list`, `status`) comes in parts.
//
//   -> {"id": 1, "cmd": "token", "profile": "prod", "min_valid": 30}
//   <- {"id": 1, "ok": true, "access_token": "…", "expires_at": "…", …}
//   <- {"id": 1, "ok": false, "error": {"kind": "login-required", "message": "…"}}
//
//   -> {"id": 2, "cmd": "status"}
//   <- {"id": 2, "ok": true, "more": true, "profiles": [… as many as fit …]}
//   <- {"id": 2, "ok": true, "profiles": [… the rest …]}        (no "more": the end)

#include "auth/credentials.h"
#include "core/error.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace tokenkeeper::agentprotocol {

inline constexpr int version = 1;
// Every line, request or answer, newline included.
inline constexpr int maxLineBytes = 64 * 1024;
// The whole of an answer in parts, as the command line accepts it.
inline constexpr qint64 maxAnswerBytes = 64 * 1024 * 1024;

// The agent's limits (Agent::Limits holds them, tests lower them):
// connections at once; how long a connection may sit without asking anything
// (or without reading what it was answered) before it is closed; how much
// answer may wait for a client that does not read before the agent stops
// reading its requests; how many of its requests may wait for an answer
// before the agent stops reading more.
inline constexpr int maxConnections = 64;
inline constexpr int idleTimeoutMs = 30'000;
inline constexpr qint64 maxQueuedBytes = 1024 * 1024;
inline constexpr int maxRequestsInFlight = 16;

// The socket and lock file of the user's agent.
QString runtimeDirectory();
QString socketPath();
QString lockPath();

// An answer's lines: one, or, when its `profiles` list would make the line
// longer than maxLineBytes, one per part, every one but the last with
// "more": true.
QByteArray answerLines(const QJsonObject &answer);
// A failed answer: {"id", "ok": false, "error": {"kind", "message"}}.
QJsonObject failure(const QJsonValue &id, const Error &error);

// The answer to `token`, `header`, `refresh` and `unauthorized`, and what
// `tokenkeeper token --json` prints: profile, access_token, token_type,
// expires_at, expires_in, lifetime_source.
QJsonObject tokenAnswer(const QString &profileName, const TokenSet &tokens, const QDateTime &now);
// The token in such an answer; nothing when it has no access token or expiry.
std::optional<TokenSet> tokenFromAnswer(const QJsonObject &answer);

} // namespace tokenkeeper::agentprotocol
