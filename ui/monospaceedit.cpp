#include "monospaceedit.h"

#include <QFontDatabase>
#include <QPlainTextEdit>

namespace tokenkeeper {

QPlainTextEdit *monospaceEdit(const QString &objectName, const QString &accessibleName,
                              bool readOnly)
{
    auto *edit = new QPlainTextEdit;
    edit->setObjectName(objectName);
    edit->setAccessibleName(accessibleName);
    edit->setReadOnly(readOnly);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(readOnly ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
    edit->setTabChangesFocus(true);
    return edit;
}

} // namespace tokenkeeper
