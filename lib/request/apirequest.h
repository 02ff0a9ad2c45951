#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QUrl>

#include <optional>
#include <utility>

namespace tokenkeeper {

struct Profile;

// A request the user wants to try against a profile's server, as typed: the
// target is a path relative to the profile's server URL or an absolute URL.
// It never holds the Authorization header: that comes from the profile when
// the request is sent, so a request can be kept (history) and shown (curl)
// without a token in it.
struct ApiRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QString target; // "/api/x?y=1" or "https://host/api/x"
    QList<std::pair<QString, QString>> headers;
    QByteArray body;
    QString contentType; // of the body; empty when there is none

    QJsonObject toJson() const;
    static std::optional<ApiRequest> fromJson(const QJsonObject &json);

    friend bool operator==(const ApiRequest &, const ApiRequest &) = default;
};

// Why `method` cannot be an HTTP method, or an empty string when it can.
QString checkMethod(const QByteArray &method);
// Why a header the user typed cannot be sent, or an empty string when it can.
// Authorization is refused: the profile supplies it.
QString checkHeader(const QString &name, const QString &value);
// "Name: value" split at the first colon; nothing when there is no name.
std::optional<std::pair<QString, QString>> parseHeaderLine(const QString &line);

// The URL a target names: an absolute http(s) URL as it is, else the path
// (and query) joined to the profile's server URL, keeping its base path
// ("https://h/squirro" + "/api/x" -> "https://h/squirro/api/x").
Result<QUrl> resolveTarget(const QUrl &serverUrl, const QString &target);
// Whether `url` goes to the server of `serverUrl`: same scheme, host and port.
// The token must not travel anywhere else without the user saying so.
bool sameServer(const QUrl &serverUrl, const QUrl &url);

} // namespace tokenkeeper
