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

} // namespace tokenkeeper
