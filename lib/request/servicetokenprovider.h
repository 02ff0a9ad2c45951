#pragma once

#include "tokenprovider.h"

namespace tokenkeeper {

class TokenService;

// Tokens from the TokenService of this process.
class ServiceTokenProvider final : public TokenProvider
{
public:
    explicit ServiceTokenProvider(TokenService &tokens,
                                  QString name = QStringLiteral("Tokenkeeper"))
        : m_tokens(tokens)
        , m_name(std::move(name))
    { }
    ~ServiceTokenProvider() override = default;

    void token(const Profile &profile, int minValidSeconds, QObject *context, Done done) override;
    void renewRejected(const Profile &profile, const QString &rejectedToken, QObject *context,
                       Done done) override;
    QString name() const override { return m_name; }

private:
    TokenService &m_tokens;
    QString m_name;
};

} // namespace tokenkeeper
