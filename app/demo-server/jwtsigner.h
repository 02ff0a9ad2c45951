#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace tokenkeeper::emulator {

// Signs and checks HS256 JWTs ({"alg":"HS256","typ":"JWT"}) with a random key per instance.
// Checking a token looks at its form and signature only; the caller judges the claims.
class JwtSigner final
{
public:
    enum class Check { Valid, Malformed, BadSignature };

    struct Decoded
    {
        Check check = Check::Malformed;
        QJsonObject claims;
    };

    JwtSigner();

    QByteArray sign(const QJsonObject &claims) const;
    Decoded decode(const QByteArray &token) const;
    // A new key: every token signed so far fails its signature check from now on.
    void rotateKey();

private:
    QByteArray m_key;
};

} // namespace tokenkeeper::emulator
