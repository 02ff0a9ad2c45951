#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>

namespace tokenkeeper::emulator {

// What the emulated servers did this run: every token they handed out (for the test that scans
// the disk for leaked secrets) and counters for /_emulator/stats.
class Ledger final
{
public:
    // Server names as used in the admin API.
    static QList<QString> serverNames();

    void recordIssued(const QByteArray &token);
    void countRequest(const QString &path);
    void countLogin(const QString &server);
    // A refresh issued (and, for Sensu and OAuth 2.0, a refresh token rotated):
    // counted, and its time kept for lastRefreshAt.
    void countRefresh(const QString &server);
    void countReuse(const QString &server);
    // Zeroes the counters; the issued tokens stay on record for the whole run.
    void resetCounters();

    QJsonObject statsJson() const;
    QJsonObject issuedJson() const;

private:
    QList<QByteArray> m_issued;
    QSet<QByteArray> m_issuedSet;
    QMap<QString, qint64> m_requests;
    QMap<QString, qint64> m_logins;
    QMap<QString, qint64> m_refreshes;
    QMap<QString, qint64> m_lastRefreshAt; // ms since the epoch, when it answered
    QMap<QString, qint64> m_reuse;
};

} // namespace tokenkeeper::emulator
