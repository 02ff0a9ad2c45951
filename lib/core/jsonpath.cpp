#include "jsonpath.h"

#include <QStringList>

namespace tokenkeeper {

QJsonValue jsonAt(const QJsonObject &root, const QString &path)
{
    if (path.isEmpty()) {
        return {};
    }
    QJsonValue value = root;
    for (const QString &part : path.split(u'.')) {
        if (!value.isObject()) {
            return {};
        }
        value = value.toObject().value(part);
    }
    return value;
}

} // namespace tokenkeeper
