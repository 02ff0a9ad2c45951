#include "text.h"

namespace tokenkeeper {

QString printable(const QString &text)
{
    QString clean;
    clean.reserve(text.size());
    for (const QChar c : text) {
        clean += c.isPrint() ? c : u' ';
    }
    return clean.simplified();
}

QString redacted(QString text, const QStringList &secrets)
{
    for (const QString &secret : secrets) {
        if (secret.size() >= 4) {
            text.replace(secret, QStringLiteral("[redacted]"));
        }
    }
    return text;
}

QString hostAndPort(const QUrl &url)
{
    return url.port() > 0 ? url.host() % u':' % QString::number(url.port()) : url.host();
}

QString quoted(const QString &sentence)
{
    return sentence.endsWith(u'.') && !sentence.endsWith(QLatin1String("..")) ? sentence.chopped(1)
                                                                              : sentence;
}

} // namespace tokenkeeper
