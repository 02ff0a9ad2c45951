#pragma once

class QPlainTextEdit;
class QString;

namespace tokenkeeper {

// A plain text field in the system's fixed-width font, for headers and bodies:
// read-only ones wrap at the widget's width, editable ones do not wrap, and Tab
// moves the focus on.
QPlainTextEdit *monospaceEdit(const QString &objectName, const QString &accessibleName,
                              bool readOnly);

} // namespace tokenkeeper
