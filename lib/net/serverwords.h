#pragma once

#include <QString>
#include <QStringList>

namespace tokenkeeper {

struct HttpResponse;

// Where an answer keeps its words, and how to speak of one without any.
struct ServerWordsRules
{
    // Dotted paths ("error.message") tried in order on a JSON object; the
    // first that holds a non-blank string gives the words.
    QStringList jsonPaths;
    // "words (code)" when the JSON "error" field holds a code that differs
    // from the words (OAuth: error_description, then error).
    bool withErrorCode = false;
    // WWW-Authenticate: its error_description comes before the body, and the
    // whole challenge stands in when nothing else says anything.
    bool readChallenge = false;
    // An answer that is not words is named: "an HTML page titled "…"", "an
    // HTML page", "N bytes that are not text". Otherwise it gives its HTML
    // title, or nothing.
    bool nameTheBody = false;
};

// What a server said about an error, in its own words, for a person to read:
// from WWW-Authenticate, a JSON object, an HTML page's title or the first
// line of a text body (valid UTF-8, printable), as `rules` say. Every one of
// `secrets` is redacted, control characters are folded into spaces, and only
// then are the words cut to 300 characters, so no part of a secret survives at
// the edge. Empty when the answer says nothing.
QString serverWords(const HttpResponse &response, const QStringList &secrets,
                    const ServerWordsRules &rules);

} // namespace tokenkeeper
