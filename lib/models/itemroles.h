#pragma once

#include <Qt>

namespace tokenkeeper {

// The item data roles of Tokenkeeper's models (Zeal: itemdatarole.h). Views,
// delegates and proxies ask for these; Qt::DisplayRole is the profile's name.
enum ItemDataRole : int {
    ProfileIdRole = Qt::UserRole + 1, // QString: the stable id (the keychain key)
    ProfileNameRole, // QString
    PresetIdRole, // QString: "sensu"
    PresetNameRole, // QString: "Sensu Go" (the id when the preset is unknown)
    StateRole, // int: ProfileStatus::State
    ExpiringRole, // bool: valid, but due for renewal or about to expire
    ValidUntilRole, // QDateTime (UTC), invalid when there is no token
    ObtainedAtRole, // QDateTime (UTC)
    LastRefreshRole, // QDateTime (UTC)
    NextRefreshRole, // QDateTime (UTC): the next renewal or retry
    ReasonRole, // QString: the server's words (login required, backing off)
    StatusTextRole, // QString: "valid for 4:12", "backing off, next try in 0:08", ...
    SearchTextRole, // QString: what the filter field matches (name, preset, server)
};

} // namespace tokenkeeper
