#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace tokenkeeper {

// What a person can learn from an access token without asking the server:
// for a JWT its header and claims, times as dates and relative times,
// scopes and audience, and whether the server's clock seems off; for an
// opaque token only that it is opaque.
struct TokenInspection
{
    struct Time
    {
        QString claim; // "exp", "iat", "nbf"
        QString label; // "Expires", "Issued", "Not before"
        QDateTime when;
        QString relative; // "in 4 min", "3 min ago"
    };

    bool isJwt = false;
    QString kind; // "JWT (HS256)" or "Opaque token (40 characters)"
    QString issuer;
    QString subject;
    QStringList audience;
    QStringList scopes;
    QList<Time> times;
    QString clockWarning; // empty when the clocks agree
    QJsonObject header;
    QJsonObject claims;

    // `obtainedAt` (when we received the token) lets an `iat` far from it
    // reveal a server clock that differs from ours.
    static TokenInspection inspect(const QString &token, const QDateTime &now,
                                   const QDateTime &obtainedAt = {});
    static QString relative(qint64 secondsFromNow);
};

} // namespace tokenkeeper
