#include "httpconnection.h"

#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <sys/socket.h>

namespace tokenkeeper::emulator {

namespace {

constexpr int readTimeoutMs = 30 * 1000;
constexpr int lingerTimeoutMs = 2 * 1000;
constexpr qint64 paddingChunkSize = 64 * 1024;
constexpr qint64 writeBufferTarget = 256 * 1024;

const QByteArray &paddingChunk()
{
    static const QByteArray chunk(paddingChunkSize, 'x');
    return chunk;
}

bool isToken(const QByteArray &text)
{
    if (text.isEmpty()) {
        return false;
    }
    for (const char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || QByteArrayLiteral("!#$%&'*+-.^_`|~").contains(c);
        if (!ok) {
            return false;
        }
    }
    return true;
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_timeout(new QTimer(this))
{
    m_socket->setParent(this);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readAvailable);
    connect(m_socket, &QTcpSocket::bytesWritten, this, &HttpConnection::writeMore);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::deleteLater);

    // A client that never finishes its request (or never closes after the answer) is cut off.
    m_timeout->setSingleShot(true);
    connect(m_timeout, &QTimer::timeout, this, [this] {
        m_state = State::Closed;
        m_socket->abort();
        deleteLater();
    });
    m_timeout->start(readTimeoutMs);

    // Bytes may have arrived before the signals were connected.
    QTimer::singleShot(0, this, &HttpConnection::readAvailable);
}

void HttpConnection::respond(const HttpResponse &response)
{
    if (m_state != State::Waiting && m_state != State::Head && m_state != State::Body) {
        return;
    }
    m_state = State::Closing;
    m_socket->write(response.head(response.body.size()));
    m_socket->write(response.body);
    closeWhenFlushed();
}

void HttpConnection::respondWithPadding(const HttpResponse &response, qint64 size)
{
    if (m_state != State::Waiting) {
        return;
    }
    static const QByteArray prefix = QByteArrayLiteral("{\"padding\":\"");
    m_state = State::Closing;
    m_socket->write(response.head(size));
    m_socket->write(prefix);
    m_paddingLeft = size - prefix.size() - 2; // the closing "}
    writeMore();
}

void HttpConnection::drop()
{
    m_state = State::Closed;
    m_socket->abort();
    deleteLater();
}

void HttpConnection::readAvailable()
{
    const QByteArray bytes = m_socket->readAll();
    if (m_state != State::Head && m_state != State::Body) {
        return; // anything after the request (or after our answer) is read and ignored
    }
    if (m_buffer.size() + bytes.size() > maxHeadSize + maxBodySize) {
        reject(413, QByteArrayLiteral("Request too large"));
        return;
    }
    m_buffer += bytes;

    if (m_state == State::Head) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0 || end > maxHeadSize) {
            if (m_buffer.size() > maxHeadSize) {
                reject(413, QByteArrayLiteral("Request head too large"));
            }
            return;
        }
        if (!parseHead(m_buffer.left(end))) {
            return;
        }
        m_buffer.remove(0, end + 4);
        m_state = State::Body;
        if (m_buffer.size() < m_contentLength
            && m_request.header(QByteArrayLiteral("expect")).toLower() == "100-continue") {
            m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
        }
    }

    if (m_buffer.size() < m_contentLength) {
        return;
    }
    m_request.body = m_buffer.left(m_contentLength);
    m_buffer.clear();
    m_state = State::Waiting;
    m_timeout->stop();
    Q_EMIT requestReceived(m_request);
}

bool HttpConnection::parseHead(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine.at(0)) || !requestLine.at(1).startsWith('/')
        || (requestLine.at(2) != "HTTP/1.1" && requestLine.at(2) != "HTTP/1.0")) {
        reject(400, QByteArrayLiteral("Malformed request line"));
        return false;
    }
    m_request.method = requestLine.at(0);
    const QByteArray &target = requestLine.at(1);
    const qsizetype question = target.indexOf('?');
    m_request.path = QUrl::fromPercentEncoding(question < 0 ? target : target.left(question));
    m_request.query = question < 0 ? QByteArray() : target.mid(question + 1);

    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (line.endsWith('\r')) {
            line.chop(1);
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.left(colon))) {
            reject(400, QByteArrayLiteral("Malformed header line"));
            return false;
        }
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (m_request.headers.contains(name)) {
            m_request.headers[name] += QByteArrayLiteral(", ") + value;
        } else {
            m_request.headers.insert(name, value);
        }
    }

    if (m_request.headers.contains(QByteArrayLiteral("transfer-encoding"))) {
        reject(400, QByteArrayLiteral("Chunked request bodies are not supported"));
        return false;
    }
    const QByteArray length = m_request.header(QByteArrayLiteral("content-length"));
    if (!length.isEmpty()) {
        bool ok = false;
        m_contentLength = length.toLongLong(&ok);
        if (!ok || m_contentLength < 0) {
            reject(400, QByteArrayLiteral("Malformed Content-Length"));
            return false;
        }
        if (m_contentLength > maxBodySize) {
            reject(413, QByteArrayLiteral("Request body too large"));
            return false;
        }
    }
    return true;
}

void HttpConnection::reject(int status, const QByteArray &message)
{
    m_state = State::Waiting;
    m_buffer.clear();
    respond(HttpResponse::text(status, message));
}

void HttpConnection::writeMore()
{
    if (m_state != State::Closing) {
        return;
    }
    while (m_paddingLeft > 0 && m_socket->bytesToWrite() < writeBufferTarget) {
        const qint64 size = qMin(m_paddingLeft, paddingChunkSize);
        m_socket->write(paddingChunk().constData(), size);
        m_paddingLeft -= size;
        if (m_paddingLeft == 0) {
            m_socket->write(QByteArrayLiteral("\"}"));
        }
    }
    closeWhenFlushed();
}

void HttpConnection::closeWhenFlushed()
{
    if (m_paddingLeft == 0 && m_socket->bytesToWrite() == 0 && !m_writeShutDown) {
        shutdownWrite();
    }
}

void HttpConnection::shutdownWrite()
{
    // Send FIN but keep reading until the client closes too: closing with unread bytes in the
    // kernel would answer with a reset that can destroy the response in flight.
    m_writeShutDown = true;
    ::shutdown(static_cast<int>(m_socket->socketDescriptor()), SHUT_WR);
    m_timeout->start(lingerTimeoutMs);
}

} // namespace tokenkeeper::emulator
