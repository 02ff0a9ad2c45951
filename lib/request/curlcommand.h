#pragma once

#include <QString>
#include <QUrl>

namespace tokenkeeper {

struct ApiRequest;

// A POSIX shell word: 'text' with every ' written as '\''.
QString shellQuote(const QString &text);

// The request as a curl command line. By default the header is fetched when
// the command runs, `-H "$(tokenkeeper header 'NAME')"`, so the command
// holds no token and keeps working; with `literalToken` set, the header is
// written out (the command then holds a secret).
QString curlCommand(const QString &profileName, const ApiRequest &request, const QUrl &url,
                    const QString &literalToken = {});

} // namespace tokenkeeper
