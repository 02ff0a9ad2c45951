#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace tokenkeeper::emulator {

struct BasicCredentials
{
    QString user;
    QString password;
};

// Decodes one application/x-www-form-urlencoded name or value ('+' is a space).
QString decodeFormComponent(const QByteArray &component);

// One complete HTTP/1.1 request as HttpConnection parsed it.
struct HttpRequest
{
    QByteArray method;
    QString path; // percent-decoded, without the query
    QByteArray query; // raw text after '?'
    QHash<QByteArray, QByteArray> headers; // names lowercased; repeated headers joined by ", "
    QByteArray body;

    QByteArray header(const QByteArray &lowercaseName) const;
    // The credentials of "Authorization: Bearer <token>"; empty when there is none.
    QByteArray bearerToken() const;
    // "Authorization: Basic base64(user:password)", decoded; nothing when absent or malformed.
    std::optional<BasicCredentials> basicCredentials() const;
    // A form-encoded body, the first value of each name.
    QHash<QString, QString> formFields() const;
    // The body as a JSON object; nothing when it is not one.
    std::optional<QJsonObject> jsonObject() const;
};

} // namespace tokenkeeper::emulator
