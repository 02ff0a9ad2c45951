#include "historyrecorder.h"

#include "auth/credentials.h"
#include "auth/tokenservice.h"
#include "requesthistory.h"
#include "requestrunner.h"
#include "secrets/secretstore.h"

namespace tokenkeeper {

HistoryEntry historyEntryOf(const ApiRequest &sent, const RequestOutcome &outcome)
{
    HistoryEntry entry;
    entry.request = sent;
    entry.sentAt = outcome.timeline.isEmpty() ? QDateTime::currentDateTimeUtc()
                                              : outcome.timeline.constFirst().at;
    entry.status = outcome.response ? outcome.response->status : 0;
    entry.elapsedMs = outcome.elapsedMs;
    entry.retried = outcome.retried;
    return entry;
}

void recordRequest(RequestHistory &history, SecretStore &secrets, const Profile &profile,
                   const ApiRequest &sent, const RequestOutcome &outcome, QObject *context,
                   std::function<void(Result<void>)> done)
{
    const HistoryEntry entry = historyEntryOf(sent, outcome);
    if (history.keep() == RequestHistory::Keep::Nothing) {
        done(history.add(profile.id, entry, {}));
        return;
    }
    secrets.read(
        TokenService::secretKey(profile), context,
        [&history, profile, entry, sentTokens = outcome.tokensSent,
         done = std::move(done)](Result<std::optional<QByteArray>> stored) {
            if (!stored) {
                done(Error(Error::Kind::Keychain,
                           QStringLiteral("The request was not kept in the history: the "
                                          "keychain could not be read to take the profile's "
                                          "secrets out of it (%1).")
                               .arg(stored.error().message())));
                return;
            }
            QStringList forms = secretForms(sentTokens);
            if (*stored) {
                if (const auto credentials = Credentials::fromJson(**stored)) {
                    forms += secretForms(profile, *credentials);
                }
            }
            done(history.add(profile.id, entry, forms));
        });
}

} // namespace tokenkeeper
