#include "error.h"

namespace tokenkeeper {

bool Error::isTransient() const
{
    return m_kind == Kind::Network || m_kind == Kind::Server;
}

QString Error::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Usage:
        return QStringLiteral("usage");
    case Kind::Network:
        return QStringLiteral("network");
    case Kind::Tls:
        return QStringLiteral("tls");
    case Kind::LoginRequired:
        return QStringLiteral("login-required");
    case Kind::Server:
        return QStringLiteral("server");
    case Kind::MalformedResponse:
        return QStringLiteral("malformed-response");
    case Kind::Keychain:
        return QStringLiteral("keychain");
    case Kind::Storage:
        return QStringLiteral("storage");
    }
    return QStringLiteral("unknown");
}

} // namespace tokenkeeper
