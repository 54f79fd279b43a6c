import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 with an ephemeral port, for testing downloads against
/// real sockets: each route answers with a body, a status, or a connection that drops midway.
final class LocalHTTPServer: @unchecked Sendable {
    enum Response: Sendable {
        /// 200 with the body and its true length.
        case body([UInt8])
        /// A status with a short text body.
        case status(Int)
        /// Announces `announced` bytes, sends `body`, then closes the connection.
        case drop(body: [UInt8], announced: Int)
    }

    let port: UInt16
    private let socketFD: Int32
    private let routes: [String: Response]
    private let thread: Thread

    init(routes: [String: Response]) throws {
        self.routes = routes
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        socketFD = fd
        let routes = routes
        thread = Thread {
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }  // the listening socket was closed: stop
                Self.serve(client, routes: routes)
            }
        }
        thread.start()
    }

    /// The URL of a path on this server.
    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// Stops accepting connections.
    func stop() {
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
    }

    private static func serve(_ client: Int32, routes: [String: Response]) {
        defer { close(client) }
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.suffix(4).elementsEqual([13, 10, 13, 10]) {
            let n = recv(client, &buffer, buffer.count, 0)
            if n <= 0 { return }
            request += buffer[0..<n]
        }
        let line = String(decoding: request.prefix { $0 != 13 }, as: UTF8.self).split(separator: " ")
        let path = line.count > 1 ? String(line[1]) : "/"
        func send(_ bytes: [UInt8]) {
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return }
                offset += n
            }
        }
        func header(_ status: Int, _ length: Int) -> [UInt8] {
            Array("HTTP/1.1 \(status) X\r\nContent-Length: \(length)\r\nConnection: close\r\n\r\n".utf8)
        }
        switch routes[path] ?? .status(404) {
        case .body(let body): send(header(200, body.count) + body)
        case .status(let code):
            let text = Array("status \(code)".utf8)
            send(header(code, text.count) + text)
        case let .drop(body, announced): send(header(200, announced) + body)
        }
    }
}
