#include "tokencopier.h"

#include "auth/tokenservice.h"
#include "secretclipboard.h"

namespace tokenkeeper {

TokenCopier::TokenCopier(TokenService &tokens, SecretClipboard *clipboard, QObject *parent)
    : QObject(parent)
    , m_tokens(tokens)
    , m_clipboard(clipboard)
{ }

void TokenCopier::copy(const Profile &profile, What what)
{
    const quint64 serial = ++m_serial;
    m_tokens.token(
        profile, minValidSeconds, this,
        [this, serial, what, name = profile.name](const Result<TokenSet> &result) {
            if (serial != m_serial) {
                return; // the user asked for another copy since
            }
            if (!result) {
                Q_EMIT finished(
                    name, false,
                    tr("Could not copy a token for %1: %2").arg(name, result.error().message()));
                return;
            }
            const QString &token = result->accessToken;
            m_clipboard->copy(what == What::Header
                                  ? QString(QStringLiteral("Authorization: Bearer ") + token)
                                  : token);
            Q_EMIT finished(name, true,
                            what == What::Header ? tr("Copied the header of %1.").arg(name)
                                                 : tr("Copied the token of %1.").arg(name));
        });
}

} // namespace tokenkeeper
