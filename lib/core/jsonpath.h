#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace tokenkeeper {

// The value at a dotted path ("data.token") in a JSON object; null when the
// path is empty or a step on the way is not an object.
QJsonValue jsonAt(const QJsonObject &root, const QString &path);

} // namespace tokenkeeper
