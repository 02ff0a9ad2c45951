#pragma once

#include "credentials.h"
#include "preset.h"

namespace tokenkeeper::credentialrules {

// What the user typed, in the slot its preset asks for; `clientSecret` (a
// confidential client's, when the preset's own secret is something else)
// beside it.
Credentials typed(SecretKind kind, const QString &secret, const QString &clientSecret = {});

// The credentials to keep after the server answered with `tokens`: a new
// refresh token where the preset keeps one, and the access token with its
// expiry, age and lifetime source, so that the next run reuses it while it
// is valid (Sensu's refresh needs it as well).
Credentials after(const Preset &preset, const Credentials &before, const TokenSet &tokens);

} // namespace tokenkeeper::credentialrules
