#include "bodypreview.h"

#include "net/httpclient.h"

#include <QJsonDocument>
#include <QLocale>
#include <QStringDecoder>

namespace tokenkeeper {

namespace {

bool looksLikeJson(const HttpResponse &response)
{
    const QByteArray mime = response.mimeType();
    if (mime.endsWith("json")) {
        return true;
    }
    const QByteArray start = response.body.left(64).trimmed();
    return start.startsWith('{') || start.startsWith('[');
}

// The first `maxBytes` of `data` as UTF-8 text, cut at a character boundary;
// nothing when it is not text.
std::optional<QString> textOf(const QByteArray &data, qsizetype maxBytes)
{
    QByteArray head = data.left(maxBytes);
    // Do not cut a multi-byte character in half (up to 3 continuation bytes).
    for (int i = 0; i < 3 && head.size() < data.size() && !head.isEmpty()
         && (static_cast<unsigned char>(data.at(head.size())) & 0xC0) == 0x80;
         ++i) {
        head.chop(1);
    }
    if (head.contains('\0')) {
        return std::nullopt;
    }
    QStringDecoder decoder(QStringDecoder::Utf8);
    QString text = decoder.decode(head);
    if (decoder.hasError()) {
        return std::nullopt;
    }
    return text;
}

} // namespace

BodyPreview BodyPreview::of(const HttpResponse &response, bool pretty, qsizetype maxShownBytes)
{
    BodyPreview preview;
    const QByteArray &body = response.body;
    if (pretty && body.size() <= maxPrettyBytes && looksLikeJson(response)) {
        const QJsonDocument document = QJsonDocument::fromJson(body);
        if (!document.isNull()) {
            const QByteArray indented = document.toJson(QJsonDocument::Indented);
            preview.pretty = true;
            preview.partial = indented.size() > maxShownBytes;
            preview.text = textOf(indented, maxShownBytes).value_or(QString());
            return preview;
        }
    }
    const auto text = textOf(body, maxShownBytes);
    if (!text) {
        preview.binary = true;
        preview.text =
            QStringLiteral("%1 of binary data (%2). Save the body to keep it.")
                .arg(QLocale().formattedDataSize(body.size()),
                     response.mimeType().isEmpty() ? QStringLiteral("no content type")
                                                   : QString::fromLatin1(response.mimeType()));
        return preview;
    }
    preview.text = *text;
    preview.partial = body.size() > maxShownBytes;
    return preview;
}

} // namespace tokenkeeper
