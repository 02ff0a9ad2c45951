#pragma once

#include "core/result.h"

#include <QStringList>

#include <functional>

class QObject;

namespace tokenkeeper {

class RequestHistory;
class SecretStore;
struct ApiRequest;
struct HistoryEntry;
struct Profile;
struct RequestOutcome;

// Keeps a request the user sent in the history, the window's and the command
// line's alike, with no secret of the profile's in it:
//
//   history keeps nothing? --> nothing read, nothing kept (the file goes)
//   read the profile's keychain entry (bounded; no entry: nothing stored)
//     |- unreadable --> not kept, and the error says why
//     `- every form of its secrets (password if remembered, client secret,
//        refresh or user token, access token) and of every token sent
//          --> RequestHistory::add (historyredaction.h)
//
// `done` (with `context` alive) hears whether it was kept.
void recordRequest(RequestHistory &history, SecretStore &secrets, const Profile &profile,
                   const ApiRequest &sent, const RequestOutcome &outcome, QObject *context,
                   std::function<void(Result<void>)> done);

// The history's entry for `sent` and how it went.
HistoryEntry historyEntryOf(const ApiRequest &sent, const RequestOutcome &outcome);

} // namespace tokenkeeper
