// The profiles file, as a hand edit or another program may leave it: read
// through ProfileStore::load, the path every command takes.

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
    const auto profiles = store.load();
    if (profiles) {
        for (const Profile &profile : *profiles) {
            (void)store.find(profile.name);
        }
    }
    return 0;
}
