// The profiles file, as a hand edit or another program may leave it: read
// through ProfileStore::read, the path every command takes. Whatever it lets
// through has a well-formed id and URLs the command line would accept.

#include "fuzzsupport.h"
#include "profiles/profilestore.h"

#include <QFile>
#include <QTemporaryDir>

using namespace tokenkeeper;

namespace {
QString path;
}

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::startQt(argc, argv);
    static QTemporaryDir directory;
    path = directory.filePath(QStringLiteral("profiles.json"));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            __builtin_trap();
        }
        file.write(reinterpret_cast<const char *>(data), qint64(size));
    }
    const ProfileStore store(path);
    const auto contents = store.read();
    if (contents) {
        // What is let through is usable: its id may become a lock file's
        // name and a keychain key, its URLs may be sent to.
        for (const Profile &profile : contents->profiles) {
            if (!Profile::checkId(profile.id).isEmpty()
                || !Profile::checkUrl(profile.baseUrl).isEmpty()
                || (!profile.tokenUrl.isEmpty()
                    && !Profile::checkUrl(profile.tokenUrl).isEmpty())) {
                __builtin_trap();
            }
            (void)store.find(profile.name);
        }
        for (const RefusedProfile &refused : contents->refused) {
            (void)refused.label();
        }
    }
    return 0;
}
