#include "jwt.h"

#include "core/epochtime.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonValue>

namespace tokenkeeper {

namespace {

std::optional<QJsonObject> decodePart(QStringView part)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        part.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        return std::nullopt;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*decoded, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return std::nullopt;
    }
    return document.object();
}

} // namespace

std::optional<Jwt> Jwt::decode(const QString &token)
{
    // A JWS compact serialisation: three base64url parts, the first two JSON.
    const QList<QStringView> parts = QStringView(token).trimmed().split(u'.');
    if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
        return std::nullopt;
    }
    auto header = decodePart(parts[0]);
    auto claims = decodePart(parts[1]);
    if (!header || !claims || !header->contains(QStringLiteral("alg"))) {
        return std::nullopt;
    }
    Jwt jwt;
    jwt.m_header = std::move(*header);
    jwt.m_claims = std::move(*claims);
    return jwt;
}

std::optional<QDateTime> Jwt::timeClaim(const QString &name) const
{
    const QJsonValue value = m_claims.value(name);
    if (!value.isDouble()) {
        return std::nullopt;
    }
    return fromEpochSeconds(value.toDouble());
}

} // namespace tokenkeeper
