// The token and error answer readers: whatever a token endpoint (or
// something posing as one) sends back, for every built-in preset.
// Input: one byte picking the preset, one picking the status and the
// operation, then Content-Type NUL Date NUL body.

#include "auth/authclient.h"
#include "auth/presetregistry.h"
#include "fuzzsupport.h"
#include "net/httpclient.h"
#include "profiles/profile.h"

#include <QUrl>

using namespace tokenkeeper;

namespace {

const PresetRegistry &presets()
{
    static const PresetRegistry registry = PresetRegistry::load({});
    return registry;
}

constexpr int statuses[] = {200, 201, 204, 400, 401, 403, 404, 410, 429, 500, 502, 503};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz::startQt(argc, argv);
    (void)presets();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    const QList<Preset> &all = presets().presets();
    const Preset &preset = all[data[0] % all.size()];
    const int status = statuses[(data[1] & 0x0f) % std::size(statuses)];
    const bool refresh = (data[1] & 0x10) != 0;
    const QList<QByteArray> field = fuzz::fields(fuzz::bytes(data + 2, size - 2), 3);

    HttpResponse response;
    response.status = status;
    response.headers.append({QByteArrayLiteral("Content-Type"), field[0]});
    response.headers.append({QByteArrayLiteral("Date"), field[1]});
    response.body = field[2];

    Profile profile;
    profile.id = QStringLiteral("fuzz");
    profile.name = QStringLiteral("fuzz");
    profile.preset = preset.id;
    profile.baseUrl = QUrl(QStringLiteral("http://127.0.0.1:9"));
    profile.username = QStringLiteral("someone");
    Credentials credentials;
    credentials.refreshToken = QStringLiteral("a-refresh-token");

    const auto operation = refresh ? AuthClient::Operation::Refresh : AuthClient::Operation::Login;
    const QDateTime sent = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
    const auto tokens =
        AuthClient::readTokenAnswer(response, profile, preset, sent, sent.addMSecs(150), operation);
    if (tokens) {
        // A token that is used is one that may go into a header as it is.
        for (const QChar c : tokens->accessToken) {
            if (c.unicode() < 0x21 || c.unicode() > 0x7e) {
                __builtin_trap();
            }
        }
    }
    const PresetRequest *request =
        refresh && preset.refresh ? &*preset.refresh : (preset.login ? &*preset.login : nullptr);
    if (request) {
        (void)AuthClient::readErrorAnswer(response, profile, preset, *request, credentials,
                                          operation);
    }
    return 0;
}
