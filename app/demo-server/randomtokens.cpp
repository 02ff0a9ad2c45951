#include "randomtokens.h"

#include <QRandomGenerator>

namespace tokenkeeper::emulator {

QByteArray randomBytes(qsizetype count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    for (char &byte : bytes) {
        byte = static_cast<char>(QRandomGenerator::system()->bounded(256));
    }
    return bytes;
}

QByteArray randomHex(qsizetype byteCount)
{
    return randomBytes(byteCount).toHex();
}

QByteArray randomUrlSafe(qsizetype byteCount)
{
    return randomBytes(byteCount).toBase64(QByteArray::Base64UrlEncoding
                                           | QByteArray::OmitTrailingEquals);
}

} // namespace tokenkeeper::emulator
