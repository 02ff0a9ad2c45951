#pragma once

#include <QString>

class QLabel;

namespace tokenkeeper {

// Text that comes from outside (a server's words, a token's claims, a preset
// or profiles file) is shown as the characters it is, never as rich text: a
// QLabel guesses rich text (Qt::AutoText), and a tooltip is rich text as
// soon as Qt::mightBeRichText() says so, which would render a server's
// `<img src="http://…">` (and fetch nothing, but show what it likes).

// A label that shows `text` as plain text, whatever it holds.
QLabel *plainLabel(const QString &text = {});
// `text` as a tooltip that shows its tags as characters (escaped, as rich text).
QString plainToolTip(const QString &text);

} // namespace tokenkeeper
