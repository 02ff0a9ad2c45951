#pragma once

#include "preset.h"

#include <QList>
#include <QString>

namespace tokenkeeper {

// The presets a user can choose: the built-in ones (resources/presets) and the
// user's own files in <config>/tokenkeeper/presets/*.json. A broken user file
// is reported in problems() and skipped; it never hides the others.
class PresetRegistry final
{
public:
    // Loads the built-in presets and the files in `userDirectory` (may be empty).
    static PresetRegistry load(const QString &userDirectory);
    // The default user preset folder, under the user's config directory.
    static QString defaultUserDirectory();

    const QList<Preset> &presets() const { return m_presets; }
    const Preset *find(const QString &id) const;
    const QStringList &problems() const { return m_problems; }

private:
    void add(Result<Preset> preset);

    QList<Preset> m_presets;
    QStringList m_problems;
};

} // namespace tokenkeeper
