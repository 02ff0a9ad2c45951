#include "credentialrules.h"

namespace tokenkeeper::credentialrules {

Credentials typed(SecretKind kind, const QString &secret, const QString &clientSecret)
{
    Credentials typed;
    switch (kind) {
    case SecretKind::Password:
        typed.password = secret;
        break;
    case SecretKind::ClientSecret:
        typed.clientSecret = secret;
        break;
    case SecretKind::RefreshToken:
        typed.refreshToken = secret;
        break;
    }
    if (!clientSecret.isEmpty()) {
        typed.clientSecret = clientSecret;
    }
    return typed;
}

Credentials after(const Preset &preset, const Credentials &before, const TokenSet &tokens)
{
    Credentials after = before;
    if (preset.keepsRefreshToken() && !tokens.refreshToken.isEmpty()) {
        after.refreshToken = tokens.refreshToken;
    }
    after.accessToken = tokens.accessToken;
    after.accessExpiresAt = tokens.expiresAt;
    after.accessObtainedAt = tokens.obtainedAt;
    after.accessLifetimeSource = TokenSet::lifetimeSourceName(tokens.lifetimeSource);
    after.lostAnswers = 0; // an answer came: what it holds is the newest
    return after;
}

} // namespace tokenkeeper::credentialrules
