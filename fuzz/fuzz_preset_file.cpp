// A preset file: the user's own presets are JSON files anyone may hand them.

#include "auth/preset.h"
#include "fuzzsupport.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace tokenkeeper;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::startQt(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument document = QJsonDocument::fromJson(fuzz::bytes(data, size));
    if (document.isObject()) {
        (void)Preset::fromJson(document.object(), QStringLiteral("fuzz.json"));
    }
    return 0;
}
