#include "jwtsigner.h"

#include "randomtokens.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>

namespace tokenkeeper::emulator {

namespace {

constexpr auto base64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray signature(const QByteArray &signingInput, const QByteArray &key)
{
    return QMessageAuthenticationCode::hash(signingInput, key, QCryptographicHash::Sha256)
        .toBase64(base64Url);
}

std::optional<QJsonObject> decodeSegment(const QByteArray &segment)
{
    const auto bytes = QByteArray::fromBase64Encoding(
        segment, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!bytes) {
        return std::nullopt;
    }
    const QJsonDocument document = QJsonDocument::fromJson(*bytes);
    if (!document.isObject()) {
        return std::nullopt;
    }
    return document.object();
}

} // namespace

JwtSigner::JwtSigner()
    : m_key(randomBytes(32))
{ }

QByteArray JwtSigner::sign(const QJsonObject &claims) const
{
    static const QByteArray header =
        QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})").toBase64(base64Url);
    const QByteArray signingInput =
        header + '.' + QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(base64Url);
    return signingInput + '.' + signature(signingInput, m_key);
}

JwtSigner::Decoded JwtSigner::decode(const QByteArray &token) const
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3) {
        return {};
    }
    const std::optional<QJsonObject> header = decodeSegment(parts.at(0));
    const std::optional<QJsonObject> claims = decodeSegment(parts.at(1));
    if (!header || !claims || header->value(QLatin1String("alg")).toString() != u"HS256") {
        return {};
    }
    const QByteArray signingInput = parts.at(0) + '.' + parts.at(1);
    if (signature(signingInput, m_key) != parts.at(2)) {
        return {Check::BadSignature, *claims};
    }
    return {Check::Valid, *claims};
}

void JwtSigner::rotateKey()
{
    m_key = randomBytes(32);
}

} // namespace tokenkeeper::emulator
