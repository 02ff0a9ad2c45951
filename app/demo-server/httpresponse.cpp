#include "httpresponse.h"

namespace tokenkeeper::emulator {

HttpResponse HttpResponse::json(int status, const QJsonObject &object,
                                QJsonDocument::JsonFormat format)
{
    HttpResponse response;
    response.status = status;
    response.body = QJsonDocument(object).toJson(format);
    return response.withHeader(QByteArrayLiteral("Content-Type"),
                               QByteArrayLiteral("application/json; charset=utf-8"));
}

HttpResponse HttpResponse::jsonArray(int status, const QJsonArray &array)
{
    HttpResponse response;
    response.status = status;
    response.body = QJsonDocument(array).toJson(QJsonDocument::Compact);
    return response.withHeader(QByteArrayLiteral("Content-Type"),
                               QByteArrayLiteral("application/json; charset=utf-8"));
}

HttpResponse HttpResponse::text(int status, const QByteArray &text)
{
    HttpResponse response;
    response.status = status;
    response.body = text;
    return response.withHeader(QByteArrayLiteral("Content-Type"),
                               QByteArrayLiteral("text/plain; charset=utf-8"));
}

HttpResponse HttpResponse::html(int status, const QByteArray &html)
{
    HttpResponse response;
    response.status = status;
    response.body = html;
    return response.withHeader(QByteArrayLiteral("Content-Type"),
                               QByteArrayLiteral("text/html;charset=utf-8"));
}

HttpResponse HttpResponse::empty(int status)
{
    HttpResponse response;
    response.status = status;
    return response;
}

HttpResponse &HttpResponse::withHeader(const QByteArray &name, const QByteArray &value)
{
    headers.append({name, value});
    return *this;
}

QByteArray HttpResponse::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            return value;
        }
    }
    return {};
}

QByteArray HttpResponse::head(qint64 contentLength) const
{
    QByteArray text = QByteArrayLiteral("HTTP/1.1 ") + QByteArray::number(status) + ' '
        + reasonPhrase(status) + QByteArrayLiteral("\r\n");
    for (const auto &[name, value] : headers) {
        text += name + QByteArrayLiteral(": ") + value + QByteArrayLiteral("\r\n");
    }
    text += QByteArrayLiteral("Content-Length: ") + QByteArray::number(contentLength)
        + QByteArrayLiteral("\r\nConnection: close\r\n\r\n");
    return text;
}

QByteArray HttpResponse::reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return QByteArrayLiteral("OK");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 401:
        return QByteArrayLiteral("Unauthorized");
    case 403:
        return QByteArrayLiteral("Forbidden");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 408:
        return QByteArrayLiteral("Request Timeout");
    case 410:
        return QByteArrayLiteral("Gone");
    case 413:
        return QByteArrayLiteral("Payload Too Large");
    case 429:
        return QByteArrayLiteral("Too Many Requests");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 501:
        return QByteArrayLiteral("Not Implemented");
    case 502:
        return QByteArrayLiteral("Bad Gateway");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    default:
        return QByteArrayLiteral("Unknown");
    }
}

} // namespace tokenkeeper::emulator
