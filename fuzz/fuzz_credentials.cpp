// A keychain entry: what Tokenkeeper stored, or what another program with
// access to the keyring wrote in its place.

#include "auth/credentials.h"
#include "fuzzsupport.h"

using namespace tokenkeeper;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::startQt(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto credentials = Credentials::fromJson(fuzz::bytes(data, size));
    if (credentials) {
        // What is read back is what would be written again.
        const auto again = Credentials::fromJson(credentials->toJson());
        if (!again || again->toJson() != credentials->toJson()) {
            __builtin_trap();
        }
    }
    return 0;
}
