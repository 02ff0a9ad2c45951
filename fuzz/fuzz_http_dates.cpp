// The HTTP date and Retry-After readers: a server's Date and Retry-After
// headers decide the clock skew and when the scheduler tries again.
// Input: Date header NUL Retry-After header.

#include "fuzzsupport.h"
#include "net/httpclient.h"

using namespace tokenkeeper;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::startQt(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QList<QByteArray> field = fuzz::fields(fuzz::bytes(data, size), 2);
    HttpResponse response;
    response.status = 503;
    response.headers.append({QByteArrayLiteral("Date"), field[0]});
    response.headers.append({QByteArrayLiteral("Retry-After"), field[1]});
    (void)response.serverDate();
    const int seconds = response.retryAfterSeconds();
    // A delay in the past or unbounded in the future is never handed on.
    if (seconds < -1) {
        __builtin_trap();
    }
    return 0;
}
