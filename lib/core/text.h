#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace tokenkeeper {

// `text` with control characters turned into spaces and runs of white space
// folded, so what a server sent cannot steer the user's terminal.
QString printable(const QString &text);

// Replaces every occurrence of each secret in `text` with "[redacted]".
QString redacted(QString text, const QStringList &secrets);

// "host:port" when the URL names a port, else "host": how a message names
// the server it talked to.
QString hostAndPort(const QUrl &url);

// A sentence without its final full stop, to quote inside another one:
// "renewing failed (Host closed the connection); ...".
QString quoted(const QString &sentence);

} // namespace tokenkeeper
