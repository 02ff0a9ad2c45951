#include "httprequest.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace tokenkeeper::emulator {

namespace {

// The parameter of an Authorization header when its scheme matches, case-insensitively.
QByteArray authorizationParameter(const QByteArray &authorization, const QByteArray &scheme)
{
    const QByteArray value = authorization.trimmed();
    const qsizetype space = value.indexOf(' ');
    if (space <= 0 || value.left(space).compare(scheme, Qt::CaseInsensitive) != 0) {
        return {};
    }
    return value.mid(space + 1).trimmed();
}

} // namespace

QString decodeFormComponent(const QByteArray &component)
{
    QByteArray spaced = component;
    spaced.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(spaced));
}

QByteArray HttpRequest::header(const QByteArray &lowercaseName) const
{
    return headers.value(lowercaseName);
}

QByteArray HttpRequest::bearerToken() const
{
    return authorizationParameter(header(QByteArrayLiteral("authorization")),
                                  QByteArrayLiteral("Bearer"));
}

std::optional<BasicCredentials> HttpRequest::basicCredentials() const
{
    const QByteArray encoded = authorizationParameter(header(QByteArrayLiteral("authorization")),
                                                      QByteArrayLiteral("Basic"));
    if (encoded.isEmpty()) {
        return std::nullopt;
    }
    const auto decoded =
        QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        return std::nullopt;
    }
    const qsizetype colon = decoded.decoded.indexOf(':');
    if (colon < 0) {
        return std::nullopt;
    }
    return BasicCredentials {QString::fromUtf8(decoded.decoded.left(colon)),
                             QString::fromUtf8(decoded.decoded.mid(colon + 1))};
}

QHash<QString, QString> HttpRequest::formFields() const
{
    QHash<QString, QString> fields;
    for (const QByteArray &pair : body.split('&')) {
        if (pair.isEmpty()) {
            continue;
        }
        const qsizetype equals = pair.indexOf('=');
        const QString name = decodeFormComponent(equals < 0 ? pair : pair.left(equals));
        const QString value = equals < 0 ? QString() : decodeFormComponent(pair.mid(equals + 1));
        if (!fields.contains(name)) {
            fields.insert(name, value);
        }
    }
    return fields;
}

std::optional<QJsonObject> HttpRequest::jsonObject() const
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return std::nullopt;
    }
    return document.object();
}

} // namespace tokenkeeper::emulator
