#include "profilelistpane.h"

#include "profiledelegate.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSortFilterProxyModel>
#include <QToolButton>
#include <QVBoxLayout>

namespace tokenkeeper {

ProfileListPane::ProfileListPane(QSortFilterProxyModel *proxy, QWidget *parent)
    : QWidget(parent)
    , m_proxy(proxy)
{
    // The list, with its filter on top.
    m_filter = new QLineEdit;
    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setAccessibleName(tr("Filter profiles"));
    m_filter->setPlaceholderText(tr("Filter (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    // Return in the filter goes on to the list.
    connect(m_filter, &QLineEdit::returnPressed, this, [this] { m_list->setFocus(); });

    m_list = new QListView;
    m_list->setObjectName(QStringLiteral("profileList"));
    m_list->setAccessibleName(tr("Profiles"));
    m_list->setModel(m_proxy);
    m_list->setItemDelegate(new ProfileDelegate(m_list));
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);

    // What a hand edit of the profiles file made unusable. The text comes
    // from the file: plain text, never rich text.
    m_refused = new QLabel;
    m_refused->setObjectName(QStringLiteral("refusedProfiles"));
    m_refused->setAccessibleName(tr("Profiles that cannot be used"));
    m_refused->setTextFormat(Qt::PlainText);
    m_refused->setWordWrap(true);
    m_refused->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_refused->setForegroundRole(QPalette::BrightText);
    m_refused->setBackgroundRole(QPalette::Dark);
    m_refused->setAutoFillBackground(true);
    m_refused->setMargin(6);
    m_refused->hide();

    // Add, duplicate and delete under the list (their actions: setButtonActions).
    const auto toolButton = [](const QString &objectName, const QString &accessibleName) {
        auto *button = new QToolButton;
        button->setObjectName(objectName);
        button->setAccessibleName(accessibleName);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setAutoRaise(true);
        return button;
    };
    m_addButton = toolButton(QStringLiteral("addButton"), tr("Add profile"));
    m_duplicateButton = toolButton(QStringLiteral("duplicateButton"), tr("Duplicate profile"));
    m_deleteButton = toolButton(QStringLiteral("deleteButton"), tr("Delete profile"));
    auto *listButtons = new QHBoxLayout;
    listButtons->setContentsMargins(0, 0, 0, 0);
    listButtons->addWidget(m_addButton);
    listButtons->addWidget(m_duplicateButton);
    listButtons->addStretch();
    listButtons->addWidget(m_deleteButton);

    auto *leftLayout = new QVBoxLayout(this);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_list);
    leftLayout->addWidget(m_refused);
    leftLayout->addLayout(listButtons);
}

void ProfileListPane::setButtonActions(QAction *add, QAction *duplicate, QAction *remove)
{
    m_addButton->setDefaultAction(add);
    m_duplicateButton->setDefaultAction(duplicate);
    m_deleteButton->setDefaultAction(remove);
}

void ProfileListPane::setRefused(const QStringList &reasons)
{
    m_refused->setText(reasons.join(QStringLiteral("\n\n")));
    m_refused->setVisible(!reasons.isEmpty());
}

} // namespace tokenkeeper
