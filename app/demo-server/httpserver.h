#pragma once

#include <QObject>
#include <QString>

class QTcpServer;

namespace tokenkeeper::emulator {

class HttpConnection;
struct HttpRequest;

// A small HTTP/1.1 server on 127.0.0.1: it accepts connections and reports each complete
// request; whoever handles requestReceived answers through the connection.
class HttpServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpServer)

public:
    explicit HttpServer(QObject *parent = nullptr);
    ~HttpServer() override = default;

    // Listens on 127.0.0.1 only; port 0 picks a free port.
    bool listen(quint16 port);
    quint16 port() const;
    QString errorString() const;

Q_SIGNALS:
    void requestReceived(tokenkeeper::emulator::HttpConnection *connection,
                         const tokenkeeper::emulator::HttpRequest &request);

private:
    void acceptPending();

    QTcpServer *m_server;
};

} // namespace tokenkeeper::emulator
