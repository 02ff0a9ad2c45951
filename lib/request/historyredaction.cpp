#include "historyredaction.h"

#include "auth/credentials.h"
#include "core/text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace tokenkeeper::historyredaction {

namespace {

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Just past the string that starts (with its quote) at `at`.
qsizetype stringEnd(const QByteArray &json, qsizetype at)
{
    for (qsizetype i = at + 1; i < json.size(); ++i) {
        if (json[i] == '\\') {
            ++i;
        } else if (json[i] == '"') {
            return i + 1;
        }
    }
    return json.size();
}

// Just past the value (string, number, literal, object or array) at `at`.
qsizetype valueEnd(const QByteArray &json, qsizetype at)
{
    if (at >= json.size()) {
        return at;
    }
    if (json[at] == '"') {
        return stringEnd(json, at);
    }
    int depth = 0;
    for (qsizetype i = at; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '"') {
            i = stringEnd(json, i) - 1;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (depth == 0) {
                return i; // the end of the container around a scalar
            }
            if (--depth == 0) {
                return i + 1;
            }
        } else if (depth == 0 && (c == ',' || isJsonSpace(c))) {
            return i;
        }
    }
    return json.size();
}

// The text of a JSON string token, escapes decoded.
QString keyText(const QByteArray &token)
{
    return QJsonDocument::fromJson('[' + token + ']').array().at(0).toString();
}

QString formName(const QByteArray &name)
{
    return QUrl::fromPercentEncoding(QByteArray(name).replace('+', ' '));
}

QByteArray withoutSecrets(QByteArray bytes, const QStringList &forms)
{
    for (const QString &form : forms) {
        if (form.size() >= 4) {
            bytes.replace(form.toUtf8(), marker.toUtf8());
        }
    }
    return bytes;
}

} // namespace

bool isSecretName(QStringView name)
{
    static const QStringList words {
        QStringLiteral("key"),       QStringLiteral("token"),      QStringLiteral("secret"),
        QStringLiteral("auth"),      QStringLiteral("pass"),       QStringLiteral("pwd"),
        QStringLiteral("cookie"),    QStringLiteral("credential"), QStringLiteral("session"),
        QStringLiteral("signature"),
    };
    return name.compare(u"sig", Qt::CaseInsensitive) == 0
        || std::any_of(words.cbegin(), words.cend(), [name](const QString &word) {
               return name.contains(word, Qt::CaseInsensitive);
           });
}

QByteArray redactedFormFields(const QByteArray &form)
{
    QByteArrayList fields = form.split('&');
    for (QByteArray &field : fields) {
        const qsizetype equals = field.indexOf('=');
        if (equals > 0 && isSecretName(formName(field.left(equals)))) {
            field = field.left(equals + 1) + marker.toUtf8();
        }
    }
    return fields.join('&');
}

QString redactedQuery(const QString &target)
{
    const qsizetype question = target.indexOf(u'?');
    if (question < 0) {
        return target;
    }
    qsizetype hash = target.indexOf(u'#', question);
    if (hash < 0) {
        hash = target.size();
    }
    const QByteArray query = target.mid(question + 1, hash - question - 1).toUtf8();
    return target.left(question + 1) + QString::fromUtf8(redactedFormFields(query))
        + target.mid(hash);
}

QByteArray redactedJsonFields(const QByteArray &json)
{
    QJsonParseError error;
    QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        return json;
    }
    // The text is valid JSON: walk it, keeping every byte but the values of
    // secret-named fields (QJsonDocument would reorder and reformat it).
    QByteArray out;
    out.reserve(json.size());
    QByteArray open; // the containers we are in: '{' or '['
    bool expectKey = false;
    qsizetype i = 0;
    while (i < json.size()) {
        const char c = json[i];
        if (c == '"') {
            const qsizetype end = stringEnd(json, i);
            const QByteArray token = json.mid(i, end - i);
            out += token;
            i = end;
            if (!expectKey || open.isEmpty() || open.back() != '{') {
                continue;
            }
            expectKey = false;
            while (i < json.size() && json[i] != ':') {
                out += json[i++];
            }
            out += ':';
            ++i;
            while (i < json.size() && isJsonSpace(json[i])) {
                out += json[i++];
            }
            if (isSecretName(keyText(token))) {
                out += '"' + marker.toUtf8() + '"';
                i = valueEnd(json, i);
            }
            continue;
        }
        if (c == '{' || c == '[') {
            open += c;
            expectKey = c == '{';
        } else if (c == '}' || c == ']') {
            open.chop(1);
        } else if (c == ',') {
            expectKey = !open.isEmpty() && open.back() == '{';
        }
        out += c;
        ++i;
    }
    return out;
}

ApiRequest redactedRequest(ApiRequest request, const QStringList &secrets)
{
    const QStringList forms = secretForms(secrets);
    request.target = redacted(redactedQuery(request.target), forms);

    request.headers.removeIf([](const auto &header) {
        return header.first.compare(u"Authorization", Qt::CaseInsensitive) == 0;
    });
    QString contentType = request.contentType;
    for (auto &[name, value] : request.headers) {
        if (name.compare(u"Content-Type", Qt::CaseInsensitive) == 0) {
            contentType = value;
        }
        // Cookie, Set-Cookie and Proxy-Authorization are secret names too.
        value = isSecretName(name) ? marker.toString() : redacted(value, forms);
        name = redacted(name, forms);
    }

    if (!request.body.isEmpty()) {
        QJsonParseError error;
        QJsonDocument::fromJson(request.body, &error);
        if (error.error == QJsonParseError::NoError) {
            request.body = redactedJsonFields(request.body);
        } else if (contentType.isEmpty()
                   || contentType.contains(u"x-www-form-urlencoded", Qt::CaseInsensitive)) {
            request.body = redactedFormFields(request.body);
        }
        request.body = withoutSecrets(request.body, forms);
    }
    return request;
}

} // namespace tokenkeeper::historyredaction
