#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QListView;
class QSortFilterProxyModel;
class QToolButton;

namespace tokenkeeper {

// The left side of the main window: the filter (Ctrl+F), the profile list
// with its delegate, and Add, Duplicate and Delete under it. The window owns
// the model and the actions.
class ProfileListPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileListPane)

public:
    // `proxy` filters the profiles by what is typed in the filter.
    explicit ProfileListPane(QSortFilterProxyModel *proxy, QWidget *parent = nullptr);
    ~ProfileListPane() override = default;

    QLineEdit *filter() const { return m_filter; }
    QListView *list() const { return m_list; }
    // The buttons under the list.
    void setButtonActions(QAction *add, QAction *duplicate, QAction *remove);
    // Why entries of the profiles file cannot be used (Engine::refusedProfiles),
    // shown as plain text under the list; none: hidden.
    void setRefused(const QStringList &reasons);
    QLabel *refusedLabel() const { return m_refused; }

private:
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter = nullptr;
    QListView *m_list = nullptr;
    QLabel *m_refused = nullptr;
    QToolButton *m_addButton = nullptr;
    QToolButton *m_duplicateButton = nullptr;
    QToolButton *m_deleteButton = nullptr;
};

} // namespace tokenkeeper
