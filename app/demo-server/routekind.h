#pragma once

namespace tokenkeeper::emulator {

// What an emulated endpoint is, as far as fault injection cares: a login/refresh/token endpoint
// ("token"), a protected API call ("api"), or not one of ours.
enum class RouteKind { None, Token, Api };

} // namespace tokenkeeper::emulator
