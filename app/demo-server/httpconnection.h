#pragma once

#include "httprequest.h"
#include "httpresponse.h"

#include <QByteArray>
#include <QObject>

class QTcpSocket;
class QTimer;

namespace tokenkeeper::emulator {

// One accepted TCP connection carrying exactly one HTTP/1.1 request.
//
//   Head --(blank line)--> Body --(Content-Length bytes)--> Waiting --respond()--> Closing
//     |                      |                                 |                      |
//     +-- junk: 400/413 -----+                                 +-- drop(): abort      |
//                                                     flushed: shutdown(SHUT_WR), read to
//                                                     EOF (2 s at most), then close
//
// Every response carries "Connection: close". Closing only the write side first lets a client
// that is still sending (a 413 answered early) read the answer instead of a reset.
class HttpConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnection)

public:
    static constexpr qint64 maxHeadSize = 64 * 1024;
    static constexpr qint64 maxBodySize = 1024 * 1024;

    // Takes ownership of the connected socket.
    explicit HttpConnection(QTcpSocket *socket, QObject *parent = nullptr);
    ~HttpConnection() override = default;

    void respond(const HttpResponse &response);
    // Answers with `response`'s status and headers and a JSON body of exactly `size` bytes,
    // written chunk by chunk as the socket drains.
    void respondWithPadding(const HttpResponse &response, qint64 size);
    // Closes the connection without answering.
    void drop();

Q_SIGNALS:
    void requestReceived(const tokenkeeper::emulator::HttpRequest &request);

private:
    enum class State { Head, Body, Waiting, Closing, Closed };

    void readAvailable();
    bool parseHead(const QByteArray &head);
    void reject(int status, const QByteArray &message);
    void writeMore();
    void closeWhenFlushed();
    void shutdownWrite();

    QTcpSocket *m_socket;
    QTimer *m_timeout;
    State m_state = State::Head;
    QByteArray m_buffer;
    HttpRequest m_request;
    qint64 m_contentLength = 0;
    qint64 m_paddingLeft = 0;
    bool m_writeShutDown = false;
};

} // namespace tokenkeeper::emulator
