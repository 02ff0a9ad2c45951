// The JWT decoder: a token's payload is the server's (or anyone's) text,
// shown in the inspector and read for exp, iat and nbf.

#include "auth/jwt.h"
#include "fuzzsupport.h"

using namespace tokenkeeper;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::startQt(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto jwt = Jwt::decode(QString::fromUtf8(fuzz::bytes(data, size)));
    if (jwt) {
        (void)jwt->expiresAt();
        (void)jwt->issuedAt();
        (void)jwt->notBefore();
        (void)jwt->timeClaim(QStringLiteral("auth_time"));
    }
    return 0;
}
