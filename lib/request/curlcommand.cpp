#include "curlcommand.h"

#include "apirequest.h"

namespace tokenkeeper {

QString shellQuote(const QString &text)
{
    static const QString safe = QStringLiteral("@%+=:,./-_");
    const bool plain = !text.isEmpty() && std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return c.unicode() < 128 && (c.isLetterOrNumber() || safe.contains(c));
    });
    if (plain) {
        return text;
    }
    return u'\'' + QString(text).replace(u'\'', QStringLiteral("'\\''")) + u'\'';
}

QString curlCommand(const QString &profileName, const ApiRequest &request, const QUrl &url,
                    const QString &literalToken)
{
    QStringList words {QStringLiteral("curl")};
    const bool hasBody = !request.body.isEmpty();
    if (request.method != "GET" || hasBody) {
        words << QStringLiteral("-X") << shellQuote(QString::fromLatin1(request.method));
    }
    if (literalToken.isEmpty()) {
        words << QStringLiteral("-H")
              << QStringLiteral("\"$(tokenkeeper header %1)\"").arg(shellQuote(profileName));
    } else {
        words << QStringLiteral("-H")
              << shellQuote(QStringLiteral("Authorization: Bearer ") + literalToken);
    }
    bool typed = false;
    for (const auto &[name, value] : request.headers) {
        typed = typed || name.compare(u"Content-Type", Qt::CaseInsensitive) == 0;
        // curl drops "Name:" with nothing after it; "Name;" sends it empty.
        words << QStringLiteral("-H")
              << shellQuote(value.isEmpty() ? QString(name + u';')
                                            : QString(name + QStringLiteral(": ") + value));
    }
    if (hasBody && !typed && !request.contentType.isEmpty()) {
        words << QStringLiteral("-H")
              << shellQuote(QStringLiteral("Content-Type: ") + request.contentType);
    }
    if (hasBody) {
        // curl reads a file for --data-binary @NAME; --data-raw takes it as it is.
        words << (request.body.startsWith('@') ? QStringLiteral("--data-raw")
                                               : QStringLiteral("--data-binary"))
              << shellQuote(QString::fromUtf8(request.body));
    }
    words << shellQuote(url.toString(QUrl::FullyEncoded));
    return words.join(u' ');
}

} // namespace tokenkeeper
