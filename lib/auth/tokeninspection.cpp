#include "tokeninspection.h"

#include "jwt.h"

#include <QJsonArray>

#include <cstdlib>

namespace tokenkeeper {

namespace {

// A difference between the server's clock and ours below this is noise.
constexpr qint64 skewWarningSeconds = 60;

QStringList stringsOf(const QJsonValue &value, QChar separator)
{
    QStringList list;
    if (value.isString()) {
        list = value.toString().split(separator, Qt::SkipEmptyParts);
    } else if (value.isArray()) {
        for (const QJsonValue &item : value.toArray()) {
            list.append(item.toString());
        }
    }
    list.removeAll(QString());
    return list;
}

QString span(qint64 seconds)
{
    if (seconds < 90) {
        return QStringLiteral("%1 s").arg(seconds);
    }
    if (seconds < 90 * 60) {
        return QStringLiteral("%1 min").arg((seconds + 30) / 60);
    }
    if (seconds < 36 * 3600) {
        return QStringLiteral("%1 h").arg((seconds + 1800) / 3600);
    }
    return QStringLiteral("%1 days").arg((seconds + 43200) / 86400);
}

} // namespace

QString TokenInspection::relative(qint64 secondsFromNow)
{
    if (secondsFromNow == 0) {
        return QStringLiteral("now");
    }
    return secondsFromNow > 0 ? QStringLiteral("in %1").arg(span(secondsFromNow))
                              : QStringLiteral("%1 ago").arg(span(-secondsFromNow));
}

TokenInspection TokenInspection::inspect(const QString &token, const QDateTime &now,
                                         const QDateTime &obtainedAt)
{
    TokenInspection inspection;
    const auto jwt = Jwt::decode(token);
    if (!jwt) {
        inspection.kind = QStringLiteral("Opaque token (%1 characters): only the server can tell "
                                         "what it grants")
                              .arg(token.size());
        return inspection;
    }
    inspection.isJwt = true;
    inspection.header = jwt->header();
    inspection.claims = jwt->claims();
    inspection.kind =
        QStringLiteral("JWT (%1)").arg(jwt->header().value(QStringLiteral("alg")).toString());
    inspection.issuer = jwt->claims().value(QStringLiteral("iss")).toString();
    inspection.subject = jwt->claims().value(QStringLiteral("sub")).toString();
    inspection.audience = stringsOf(jwt->claims().value(QStringLiteral("aud")), u' ');
    inspection.scopes = stringsOf(jwt->claims().value(QStringLiteral("scope")), u' ');
    if (inspection.scopes.isEmpty()) {
        inspection.scopes = stringsOf(jwt->claims().value(QStringLiteral("scp")), u' ');
    }
    const std::pair<const char *, const char *> names[] = {
        {"exp", "Expires"}, {"iat", "Issued"}, {"nbf", "Not before"}};
    for (const auto &[claim, label] : names) {
        if (const auto when = jwt->timeClaim(QLatin1String(claim))) {
            inspection.times.append(
                {QLatin1String(claim), QLatin1String(label), *when, relative(now.secsTo(*when))});
        }
    }
    if (const auto issued = jwt->issuedAt(); issued && obtainedAt.isValid()) {
        const qint64 ahead = obtainedAt.secsTo(*issued);
        if (std::abs(ahead) > skewWarningSeconds) {
            inspection.clockWarning =
                QStringLiteral("The server's clock seems %1 %2 ours (the token says it was "
                               "issued %3, we received it %4). Tokenkeeper corrects expiry times "
                               "by the server's Date header where it sends one.")
                    .arg(span(std::abs(ahead)),
                         ahead > 0 ? QStringLiteral("ahead of") : QStringLiteral("behind"),
                         issued->toLocalTime().toString(Qt::ISODate),
                         obtainedAt.toLocalTime().toString(Qt::ISODate));
        }
    }
    return inspection;
}

} // namespace tokenkeeper
