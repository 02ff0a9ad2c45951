#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace tokenkeeper {

// A decoded JSON Web Token: header and claims, without checking the signature
// (we are the client: the server checks it). An opaque token decodes to nullopt.
class Jwt final
{
public:
    static std::optional<Jwt> decode(const QString &token);

    const QJsonObject &header() const { return m_header; }
    const QJsonObject &claims() const { return m_claims; }

    // Registered time claims as UTC date-times, when present and numeric.
    std::optional<QDateTime> expiresAt() const { return timeClaim(QStringLiteral("exp")); }
    std::optional<QDateTime> issuedAt() const { return timeClaim(QStringLiteral("iat")); }
    std::optional<QDateTime> notBefore() const { return timeClaim(QStringLiteral("nbf")); }
    std::optional<QDateTime> timeClaim(const QString &name) const;

private:
    QJsonObject m_header;
    QJsonObject m_claims;
};

} // namespace tokenkeeper
