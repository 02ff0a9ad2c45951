#pragma once

#include "auth/tokeninspection.h"

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace tokenkeeper {

// Shows what an access token says about itself (TokenInspection): for a JWT
// its issuer, subject, audience, scopes, times as local dates and relative
// times, a warning when the server's clock differs, and the raw header and
// claims. The token itself stays hidden until the user reveals it.
class TokenInspectorDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenInspectorDialog)

public:
    TokenInspectorDialog(const QString &profileName, const QString &token,
                         const TokenInspection &inspection, QWidget *parent = nullptr);
    ~TokenInspectorDialog() override = default;

    bool tokenRevealed() const;

private:
    void setRevealed(bool revealed);

    QString m_token;
    QLineEdit *m_tokenField;
    QPushButton *m_revealButton;
};

} // namespace tokenkeeper
