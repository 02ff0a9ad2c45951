#include "ledger.h"

#include <QDateTime>
#include <QJsonArray>

namespace tokenkeeper::emulator {

namespace {

QJsonObject countersJson(const QMap<QString, qint64> &counters, const QList<QString> &names)
{
    QJsonObject json;
    for (const QString &name : names) {
        json.insert(name, 0);
    }
    for (auto it = counters.begin(); it != counters.end(); ++it) {
        json.insert(it.key(), it.value());
    }
    return json;
}

} // namespace

QList<QString> Ledger::serverNames()
{
    return {QStringLiteral("squirro"), QStringLiteral("sensu"),  QStringLiteral("squidex"),
            QStringLiteral("argus"),   QStringLiteral("oauth2"), QStringLiteral("acme")};
}

void Ledger::recordIssued(const QByteArray &token)
{
    if (!m_issuedSet.contains(token)) {
        m_issuedSet.insert(token);
        m_issued.append(token);
    }
}

void Ledger::countRequest(const QString &path)
{
    ++m_requests[path];
}

void Ledger::countLogin(const QString &server)
{
    ++m_logins[server];
}

void Ledger::countRefresh(const QString &server)
{
    ++m_refreshes[server];
    m_lastRefreshAt[server] = QDateTime::currentMSecsSinceEpoch();
}

void Ledger::countReuse(const QString &server)
{
    ++m_reuse[server];
}

void Ledger::resetCounters()
{
    m_requests.clear();
    m_logins.clear();
    m_refreshes.clear();
    m_lastRefreshAt.clear();
    m_reuse.clear();
}

QJsonObject Ledger::statsJson() const
{
    return {
        {QStringLiteral("reuseDetected"),
         countersJson(m_reuse, {QStringLiteral("sensu"), QStringLiteral("oauth2")})},
        {QStringLiteral("requests"), countersJson(m_requests, {})},
        {QStringLiteral("logins"), countersJson(m_logins, serverNames())},
        {QStringLiteral("refreshes"), countersJson(m_refreshes, serverNames())},
        {QStringLiteral("lastRefreshAt"), countersJson(m_lastRefreshAt, serverNames())},
    };
}

QJsonObject Ledger::issuedJson() const
{
    QJsonArray tokens;
    for (const QByteArray &token : m_issued) {
        tokens.append(QString::fromLatin1(token));
    }
    return {{QStringLiteral("tokens"), tokens}};
}

} // namespace tokenkeeper::emulator
