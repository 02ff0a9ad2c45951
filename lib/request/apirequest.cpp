#include "apirequest.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace tokenkeeper {

namespace {

// RFC 9110 token characters (method and header names).
bool isToken(QStringView text)
{
    static const QString extra = QStringLiteral("!#$%&'*+-.^_`|~");
    return !text.isEmpty() && std::all_of(text.cbegin(), text.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
            || extra.contains(c);
    });
}

int effectivePort(const QUrl &url)
{
    return url.port(url.scheme() == u"https" ? 443 : 80);
}

} // namespace

QJsonObject ApiRequest::toJson() const
{
    QJsonArray headerList;
    for (const auto &[name, value] : headers) {
        headerList.append(QJsonArray {name, value});
    }
    QJsonObject json {
        {QStringLiteral("method"), QString::fromLatin1(method)},
        {QStringLiteral("target"), target},
        {QStringLiteral("headers"), headerList},
    };
    if (!body.isEmpty()) {
        json.insert(QStringLiteral("body"), QString::fromUtf8(body));
    }
    if (!contentType.isEmpty()) {
        json.insert(QStringLiteral("content_type"), contentType);
    }
    return json;
}

std::optional<ApiRequest> ApiRequest::fromJson(const QJsonObject &json)
{
    ApiRequest request;
    request.method = json.value(QStringLiteral("method")).toString().toLatin1();
    request.target = json.value(QStringLiteral("target")).toString();
    if (!checkMethod(request.method).isEmpty() || request.target.isEmpty()) {
        return std::nullopt;
    }
    for (const QJsonValue &pair : json.value(QStringLiteral("headers")).toArray()) {
        const QJsonArray fields = pair.toArray();
        if (fields.size() != 2 || !fields[0].isString() || !fields[1].isString()) {
            return std::nullopt;
        }
        request.headers.append({fields[0].toString(), fields[1].toString()});
    }
    request.body = json.value(QStringLiteral("body")).toString().toUtf8();
    request.contentType = json.value(QStringLiteral("content_type")).toString();
    return request;
}

QString checkMethod(const QByteArray &method)
{
    if (method.isEmpty()) {
        return QStringLiteral("Choose a method.");
    }
    if (!isToken(QString::fromLatin1(method))) {
        return QStringLiteral("\"%1\" is not an HTTP method.").arg(QString::fromLatin1(method));
    }
    return {};
}

QString checkHeader(const QString &name, const QString &value)
{
    if (!isToken(name)) {
        return QStringLiteral("\"%1\" is not a header name.").arg(name);
    }
    if (name.compare(u"Authorization", Qt::CaseInsensitive) == 0) {
        return QStringLiteral("The Authorization header comes from the profile; leave it out.");
    }
    static const QStringList managed {QStringLiteral("Host"), QStringLiteral("Content-Length"),
                                      QStringLiteral("Transfer-Encoding"),
                                      QStringLiteral("Connection")};
    for (const QString &header : managed) {
        if (name.compare(header, Qt::CaseInsensitive) == 0) {
            return QStringLiteral("%1 is set by Tokenkeeper; leave it out.").arg(header);
        }
    }
    if (value.contains(u'\r') || value.contains(u'\n')) {
        return QStringLiteral("The value of %1 must be one line.").arg(name);
    }
    return {};
}

std::optional<std::pair<QString, QString>> parseHeaderLine(const QString &line)
{
    const qsizetype colon = line.indexOf(u':');
    const QString name = (colon < 0 ? line : line.left(colon)).trimmed();
    if (name.isEmpty()) {
        return std::nullopt;
    }
    return std::pair {name, colon < 0 ? QString() : line.mid(colon + 1).trimmed()};
}

Result<QUrl> resolveTarget(const QUrl &serverUrl, const QString &target)
{
    const QString text = target.trimmed();
    if (text.isEmpty()) {
        return Error(Error::Kind::Usage, QStringLiteral("Enter a path or a URL."));
    }
    // A scheme at the start makes it absolute; "://" further on (a URL in the
    // query) does not.
    static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*://"));
    if (scheme.match(text).hasMatch()) {
        const QUrl url(text);
        if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")
            || url.host().isEmpty()) {
            return Error(Error::Kind::Usage,
                         QStringLiteral("\"%1\" is not an http or https URL.").arg(text));
        }
        return url;
    }
    QString base = serverUrl.toString(QUrl::RemoveQuery | QUrl::RemoveFragment);
    while (base.endsWith(u'/')) {
        base.chop(1);
    }
    const QUrl url(base + (text.startsWith(u'/') ? QString() : QStringLiteral("/")) + text);
    if (!url.isValid()) {
        return Error(Error::Kind::Usage, QStringLiteral("\"%1\" is not a valid path.").arg(text));
    }
    return url;
}

bool sameServer(const QUrl &serverUrl, const QUrl &url)
{
    return serverUrl.scheme() == url.scheme()
        && serverUrl.host().compare(url.host(), Qt::CaseInsensitive) == 0
        && effectivePort(serverUrl) == effectivePort(url);
}

} // namespace tokenkeeper
