#pragma once

// What every libFuzzer target shares: a QCoreApplication (the agent target
// runs an event loop; Qt's text and locale code wants one too), quiet logs,
// and a way to cut one input into several fields.

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QLoggingCategory>

#include <cstddef>
#include <cstdint>

namespace tokenkeeper::fuzz {

// Call from LLVMFuzzerInitialize.
inline void startQt(int *argc, char ***argv)
{
    // Logging of refused input is tested elsewhere; here it only slows the run.
    QLoggingCategory::setFilterRules(QStringLiteral("*=false"));
    static QCoreApplication app(*argc, *argv);
}

inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

// The input cut at each '\0' into at most `count` fields (the last keeps
// the rest); missing fields are empty. A NUL-separated input lets the
// fuzzer vary each field on its own, and seeds stay readable.
inline QList<QByteArray> fields(const QByteArray &input, int count)
{
    QList<QByteArray> parts;
    qsizetype from = 0;
    while (parts.size() < count - 1) {
        const qsizetype nul = input.indexOf('\0', from);
        if (nul < 0) {
            break;
        }
        parts.append(input.mid(from, nul - from));
        from = nul + 1;
    }
    parts.append(input.mid(from));
    while (parts.size() < count) {
        parts.append(QByteArray());
    }
    return parts;
}

} // namespace tokenkeeper::fuzz
