#include "agentprotocol.h"

#include "auth/credentials.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

namespace tokenkeeper::agentprotocol {

QString runtimeDirectory()
{
    // $XDG_RUNTIME_DIR (per user, mode 0700) or Qt's private fallback.
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation)
        + QStringLiteral("/tokenkeeper");
    if (QDir().mkpath(dir)) {
        QFile::setPermissions(
            dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
    return dir;
}

QString socketPath()
{
    return runtimeDirectory() + QStringLiteral("/agent.sock");
}

QString lockPath()
{
    return runtimeDirectory() + QStringLiteral("/agent.lock");
}

namespace {

QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

QByteArray answerLines(const QJsonObject &answer)
{
    QByteArray whole = line(answer);
    const QString listKey = QStringLiteral("profiles");
    if (whole.size() <= maxLineBytes || !answer.value(listKey).isArray()) {
        return whole;
    }
    QJsonObject head = answer;
    head.insert(QStringLiteral("more"), true);
    head.insert(listKey, QJsonArray());
    // What is left of a line for the list's items, each with its comma.
    const qsizetype room = maxLineBytes - line(head).size();
    QByteArray lines;
    QJsonArray part;
    qsizetype partBytes = 0;
    for (const QJsonValue &item : answer.value(listKey).toArray()) {
        const qsizetype bytes =
            QJsonDocument(item.toObject()).toJson(QJsonDocument::Compact).size() + 1;
        if (!part.isEmpty() && partBytes + bytes > room) {
            head.insert(listKey, part);
            lines += line(head);
            part = {};
            partBytes = 0;
        }
        part.append(item);
        partBytes += bytes;
    }
    head.remove(QStringLiteral("more"));
    head.insert(listKey, part);
    return lines + line(head);
}

QJsonObject failure(const QJsonValue &id, const Error &error)
{
    return {{QStringLiteral("id"), id},
            {QStringLiteral("ok"), false},
            {QStringLiteral("error"),
             QJsonObject {{QStringLiteral("kind"), Error::kindName(error.kind())},
                          {QStringLiteral("message"), error.message()}}}};
}

QJsonObject tokenAnswer(const QString &profileName, const TokenSet &tokens, const QDateTime &now)
{
    QJsonObject answer {
        {QStringLiteral("profile"), profileName},
        {QStringLiteral("access_token"), tokens.accessToken},
        {QStringLiteral("token_type"), QStringLiteral("Bearer")},
        {QStringLiteral("expires_at"), tokens.expiresAt.toUTC().toString(Qt::ISODate)},
        {QStringLiteral("expires_in"), now.secsTo(tokens.expiresAt)},
        {QStringLiteral("lifetime_source"), TokenSet::lifetimeSourceName(tokens.lifetimeSource)}};
    if (!tokens.warning.isEmpty()) {
        answer.insert(QStringLiteral("warning"), tokens.warning);
    }
    return answer;
}

std::optional<TokenSet> tokenFromAnswer(const QJsonObject &answer)
{
    TokenSet tokens;
    tokens.accessToken = answer.value(QStringLiteral("access_token")).toString();
    tokens.expiresAt =
        QDateTime::fromString(answer.value(QStringLiteral("expires_at")).toString(), Qt::ISODate);
    if (tokens.accessToken.isEmpty() || !tokens.expiresAt.isValid()) {
        return std::nullopt;
    }
    tokens.lifetimeSource =
        TokenSet::lifetimeSourceFromName(answer.value(QStringLiteral("lifetime_source")).toString())
            .value_or(tokens.lifetimeSource);
    return tokens;
}

} // namespace tokenkeeper::agentprotocol
