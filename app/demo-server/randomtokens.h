#pragma once

#include <QByteArray>

namespace tokenkeeper::emulator {

// Random material from QRandomGenerator::system(), new on every call.
QByteArray randomBytes(qsizetype count);
QByteArray randomHex(qsizetype byteCount); // 2 * byteCount hex digits
QByteArray randomUrlSafe(qsizetype byteCount); // base64url without padding

} // namespace tokenkeeper::emulator
