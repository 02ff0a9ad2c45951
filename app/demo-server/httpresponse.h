#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>

#include <utility>

namespace tokenkeeper::emulator {

// One HTTP response before it is written. HttpConnection adds Content-Length and
// "Connection: close"; the Emulator adds Date and Server.
struct HttpResponse
{
    int status = 200;
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    static HttpResponse json(int status, const QJsonObject &object,
                             QJsonDocument::JsonFormat format = QJsonDocument::Compact);
    static HttpResponse jsonArray(int status, const QJsonArray &array);
    static HttpResponse text(int status, const QByteArray &text);
    static HttpResponse html(int status, const QByteArray &html);
    static HttpResponse empty(int status);

    HttpResponse &withHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(const QByteArray &name) const;

    // The status line and headers, ending with the blank line.
    QByteArray head(qint64 contentLength) const;

    static QByteArray reasonPhrase(int status);
};

} // namespace tokenkeeper::emulator
