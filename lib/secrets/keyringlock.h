#pragma once

#include <QObject>

#include <functional>

namespace tokenkeeper::keyringlock {

// Whether the Secret Service's default collection (where Qt Keychain keeps
// our entries) is locked, asked over the session bus without blocking:
//
//   ReadAlias("default") --> the collection --> its "Locked" property
//
// A locked keyring whose unlock prompt was dismissed, or could not be shown
// (no display), answers a read as if the entry were absent: this tells the
// two apart. `answer` hears false when there is no Secret Service or it does
// not say (KWallet, say), and is not called once `context` is gone.
void whenKnown(QObject *context, std::function<void(bool locked)> answer);

} // namespace tokenkeeper::keyringlock
