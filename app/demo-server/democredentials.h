#pragma once

// The fixed demo credentials of the emulated servers. Everything else the emulator issues is
// random per run. Tests and the demo launcher include this header; wrap a value with
// QLatin1String(demo::argusPassword) where a QString is needed.

namespace tokenkeeper::emulator::demo {

// Squirro: the user token ("refresh token" in Squirro's API) and its tenant.
inline constexpr char squirroUserToken[] = "squirro-demo-user-token-6f1c2a9e4b7d";
inline constexpr char squirroTenant[] = "squirro_demo";

// Sensu Go: an enabled and a disabled user.
inline constexpr char sensuUser[] = "admin";
inline constexpr char sensuPassword[] = "P@ssw0rd!";
inline constexpr char sensuDisabledUser[] = "disabled";
inline constexpr char sensuDisabledPassword[] = "disabled-pw";

// Squidex: a client of the app "demo-app".
inline constexpr char squidexClientId[] = "demo-app:default";
inline constexpr char squidexClientSecret[] = "squidex-demo-secret-3d8f";
inline constexpr char squidexApp[] = "demo-app";
inline constexpr char squidexScope[] = "squidex-api";

// Salesforce Argus.
inline constexpr char argusUser[] = "argus-demo";
inline constexpr char argusPassword[] = "argus-demo-pw-91c4";

// Generic OAuth 2.0: a confidential client, a public client and a resource owner.
inline constexpr char oauthClientId[] = "tk-client";
inline constexpr char oauthClientSecret[] = "tk-client-secret-55e1";
inline constexpr char oauthPublicClientId[] = "tk-public";
inline constexpr char oauthUser[] = "oauth-user";
inline constexpr char oauthPassword[] = "oauth-pw-7a2b";

// Acme, the in-house login API that a user-written preset file describes.
inline constexpr char acmeUser[] = "acme-user";
inline constexpr char acmePassword[] = "acme-pw-2f0d";

} // namespace tokenkeeper::emulator::demo
