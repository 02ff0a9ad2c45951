#pragma once

#include "apirequest.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace tokenkeeper {

struct Credentials;
struct Profile;

// What the request history keeps of a request: its shape, never a secret.
//
//   request as typed
//     |- Authorization: dropped (the profile supplies it; never typed)
//     |- a header named Cookie, Set-Cookie, Proxy-Authorization or with a
//     |  secret-sounding name (isSecretName): value -> "[redacted]"
//     |- query parameters with such names: value -> "[redacted]"
//     |- a JSON body: such fields, at any depth -> "[redacted]", the rest
//     |  byte for byte as typed
//     |- a form body (application/x-www-form-urlencoded, or no type): such
//     |  fields -> "[redacted]"
//     `- every form of every secret (secretForms) anywhere in the target,
//        the headers or the body -> "[redacted]"
//
// The name stays, only the value goes, so a request loaded again from the
// history shows what was sent and where a secret belongs.
namespace historyredaction {

inline constexpr QStringView marker = u"[redacted]";

// Whether a header, query parameter or field of that name holds a secret:
// it contains key, token, secret, auth, pass, pwd, cookie, credential,
// session or signature, or is "sig" (case-insensitive).
bool isSecretName(QStringView name);

// The target ("/x?a=1" or a URL) with the values of secret-named query
// parameters replaced, the rest as typed.
QString redactedQuery(const QString &target);
// A JSON text with the values of secret-named fields replaced, at any depth;
// as it is when it is not JSON.
QByteArray redactedJsonFields(const QByteArray &json);
// A form-encoded body (a=1&b=2) with the values of secret-named fields replaced.
QByteArray redactedFormFields(const QByteArray &form);

// `request` as the history keeps it (see above).
ApiRequest redactedRequest(ApiRequest request, const QStringList &secrets);

} // namespace historyredaction

} // namespace tokenkeeper
