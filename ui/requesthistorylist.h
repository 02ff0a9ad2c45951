#pragma once

#include "request/apirequest.h"

#include <QListWidget>

namespace tokenkeeper {

class RequestHistory;

// One profile's last requests in the request tester (newest first; status,
// method, target, when, and whether the token was renewed or the body not
// kept). A click or Enter on one offers it to be loaded again.
class RequestHistoryList final : public QListWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestHistoryList)

public:
    explicit RequestHistoryList(RequestHistory &history, QWidget *parent = nullptr);
    ~RequestHistoryList() override = default;

    // Shows (again) the requests of this profile.
    void showProfile(const QString &profileId);

Q_SIGNALS:
    void requestChosen(const tokenkeeper::ApiRequest &request);

private:
    void choose(const QListWidgetItem *item);

    RequestHistory &m_history;
    QString m_profileId;
};

} // namespace tokenkeeper
