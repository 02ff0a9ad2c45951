#pragma once

#include <QByteArray>
#include <QString>

namespace tokenkeeper {

struct HttpResponse;

// What the request tester shows of an answer's body: JSON indented (when
// asked and small enough to parse at once), text as it is, binary data
// described, and never more than `maxShownBytes`, so a 10 MiB answer cannot
// freeze the window.
struct BodyPreview
{
    QString text;
    bool pretty = false; // JSON, indented
    bool partial = false; // only the start of it is shown
    bool binary = false; // not text: `text` describes it

    static constexpr qsizetype defaultMaxShownBytes = 256 * 1024;
    static constexpr qsizetype maxPrettyBytes = 2 * 1024 * 1024;

    static BodyPreview of(const HttpResponse &response, bool pretty,
                          qsizetype maxShownBytes = defaultMaxShownBytes);
};

} // namespace tokenkeeper
