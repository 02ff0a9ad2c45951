#include "serverwords.h"

#include "core/jsonpath.h"
#include "core/text.h"
#include "httpclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStringDecoder>

#include <algorithm>
#include <optional>

namespace tokenkeeper {

namespace {

constexpr int maxWords = 300;
constexpr qsizetype maxBytesRead = 64 * 1024;

QString jsonWords(const QJsonObject &json, const ServerWordsRules &rules)
{
    QString words;
    for (const QString &path : rules.jsonPaths) {
        const QJsonValue value = jsonAt(json, path);
        if (value.isString() && !value.toString().trimmed().isEmpty()) {
            words = value.toString().trimmed();
            break;
        }
    }
    const QString code = json.value(QStringLiteral("error")).toString();
    if (rules.withErrorCode && !code.isEmpty() && !words.isEmpty() && words != code) {
        words = QStringLiteral("%1 (%2)").arg(words, code);
    }
    return words;
}

QString htmlTitle(const QByteArray &body)
{
    static const QRegularExpression title(QStringLiteral("<title>([^<]*)</title>"),
                                          QRegularExpression::CaseInsensitiveOption);
    return title.match(QString::fromUtf8(body.left(maxBytesRead))).captured(1);
}

// The first line of the body if it is UTF-8 text (bytes that are not would
// show as U+FFFD), else nothing.
std::optional<QString> firstLine(const QByteArray &body)
{
    const QByteArray head = body.left(maxBytesRead).trimmed();
    QStringDecoder utf8(QStringDecoder::Utf8);
    const qsizetype end = head.indexOf('\n');
    const QString line = QString(utf8.decode(end < 0 ? head : head.left(end))).trimmed();
    const bool isText = !utf8.hasError() && std::all_of(line.cbegin(), line.cend(), [](QChar c) {
        return c.isPrint() || c == u'\t';
    });
    return isText ? std::optional<QString>(line) : std::nullopt;
}

} // namespace

QString serverWords(const HttpResponse &response, const QStringList &secrets,
                    const ServerWordsRules &rules)
{
    const auto clean = [&secrets](const QString &text) {
        return printable(redacted(text, secrets));
    };
    static const QRegularExpression description(
        QStringLiteral(R"re(error_description="([^"]*)")re"));
    const QString challenge = rules.readChallenge
        ? QString::fromLatin1(response.header(QByteArrayLiteral("WWW-Authenticate")))
        : QString();
    const auto described = description.match(challenge);
    const QJsonDocument document = QJsonDocument::fromJson(response.body);

    QString words;
    if (described.hasMatch()) {
        words = clean(described.captured(1));
    } else if (document.isObject()) {
        words = clean(jsonWords(document.object(), rules));
    } else if (response.mimeType() == "text/html" || response.body.trimmed().startsWith('<')) {
        const QString title = clean(htmlTitle(response.body));
        if (!rules.nameTheBody) {
            words = title;
        } else {
            words = title.isEmpty() ? QStringLiteral("an HTML page")
                                    : QStringLiteral("an HTML page titled \"%1\"").arg(title);
        }
    } else if (const auto line = firstLine(response.body)) {
        words = clean(*line);
    } else if (rules.nameTheBody) {
        words = QStringLiteral("%1 bytes that are not text").arg(response.body.size());
    }
    if (words.isEmpty()) {
        words = clean(challenge);
    }
    // Cut only after redacting, so no part of a secret survives at the edge.
    if (words.size() > maxWords) {
        words = words.left(maxWords) + QStringLiteral("…");
    }
    return words;
}

} // namespace tokenkeeper
