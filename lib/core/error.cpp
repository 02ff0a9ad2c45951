#include "error.h"

namespace tokenkeeper {

bool Error::isTransient() const
{
    return m_kind == Kind::Network || m_kind == Kind::Server;
}

std::optional<Error::Kind> Error::kindFromName(const QString &name)
{
    for (const Kind kind :
         {Kind::Usage, Kind::Network, Kind::Tls, Kind::NotLoggedIn, Kind::LoginRequired,
          Kind::Server, Kind::MalformedResponse, Kind::Keychain, Kind::Storage}) {
        if (kindName(kind) == name) {
            return kind;
        }
    }
    return std::nullopt;
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
    case Kind::NotLoggedIn:
        return QStringLiteral("not-logged-in");
    case Kind::LoginRequired:
        return QStringLiteral("login-required");
    case Kind::Server:
        return QStringLiteral("server");
    case Kind::Request:
        return QStringLiteral("request");
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
