import FathomTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Layers
import Logging
import PneumoniaKit
import PneumoniaServe
import Testing
import Vision

/// What the `pneumonia serve` tests share: a small run directory, real chest X-rays, a server
/// on an ephemeral 127.0.0.1 port, and an HTTP client (URLSession) for it.
enum ServeFixture {
    /// A real chest X-ray at original resolution (grayscale JPEG) of the Kaggle validation split.
    static func xray(_ name: String = "PNEUMONIA/person1946_bacteria_4874.jpeg") throws -> URL {
        try SharedData.dataFile("chest_xray_val_original/\(name)")
    }

    /// A run directory with a seeded, untrained compact CNN at 64×64 (Grad-CAM maps of 8×8):
    /// enough for the server, which only needs a model and its metadata. Written once.
    static let run: Result<RunDirectory, any Error> = Result { try makeRun(threshold: 0.4) }

    /// A new run directory like ``run``, with the given threshold and, as `pneumonia train`
    /// would have recorded them, the training data's description and path.
    static func makeRun(threshold: Double, dataDescription: String = "a test fixture", dataPath: String? = nil) throws -> RunDirectory {
        let run = RunDirectory(FileManager.default.temporaryDirectory.appendingPathComponent("fathom-serve-\(UUID().uuidString)"))
        try run.create()
        var configuration = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainingConfiguration())) as? [String: Any] ?? [:]
        configuration["dataPath"] = dataPath
        let metadata: [String: Any] = [
            "architecture": "compact-cnn", "classes": ["NORMAL", "PNEUMONIA"],
            "preprocessing": ["imageSize": 64, "channels": 1, "geometry": "stretch", "mean": [0.48], "standardDeviation": [0.24]],
            "threshold": threshold, "thresholdRule": "Youden's J on validation",
            "validation": ["auc": 0.91, "accuracy": 0.85, "sensitivity": 0.88, "specificity": 0.8, "f1": 0.87, "n": 524],
            "bestEpoch": 3, "epochsCompleted": 5, "seed": 11, "dataFingerprint": "test-fixture",
            "dataDescription": dataDescription, "configuration": configuration, "trainingSeconds": 12.5,
            "created": "2026-01-02T03:04:05Z",
        ]
        try JSONSerialization.data(withJSONObject: metadata).write(to: run.metadataFile)
        let model = CompactCNN(inputChannels: 1, classCount: 2, seed: 11)
        try run.save(model, metadata: try run.readMetadata(), to: run.bestModel)
        return run
    }

    /// The run's classifier, loaded as `pneumonia predict` loads it.
    static func classifier() throws -> Classifier { try Classifier(run: run.get()) }

    /// A multipart/form-data body with one file field.
    static func multipart(_ file: Data, field: String = "image", filename: String = "xray.jpeg",
                          contentType: String = "image/jpeg", boundary: String) -> Data {
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nfirst a text field\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\n".utf8)
        body += Data("Content-Type: \(contentType)\r\n\r\n".utf8)
        body += file
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        return body
    }
}

/// `pneumonia serve`'s server on 127.0.0.1 with a port the system chose, stopped gracefully.
final class ServeTestServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    let baseURL: URL
    /// The bound port.
    let port: Int
    private let stopServer: @Sendable () async -> Void

    private init(port: Int, stop: @escaping @Sendable () async -> Void) {
        self.port = port
        baseURL = URL(string: "http://127.0.0.1:\(port)")!
        stopServer = stop
    }

    /// Starts a server for the fixture run; `configure` adjusts the limits.
    static func start(logs: LogCapture? = nil,
                      configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> ServeTestServer {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configure(&configuration)
        let logger = Logger(label: "pneumonia.serve.test") { _ in logs.map { $0 as any LogHandler } ?? SwiftLogNoOpLogHandler() }
        let server = PredictionServer(classifier: try ServeFixture.classifier(), configuration: configuration, logger: logger)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let group = server.serviceGroup { port in continuation.yield(port) }
        let task = Task {
            defer { continuation.finish() }  // a failed start ends the wait below
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            try await task.value
            throw URLError(.cannotConnectToHost)
        }
        return ServeTestServer(port: port) {
            await group.triggerGracefulShutdown()
            _ = await task.result
        }
    }

    /// Stops accepting connections and waits for requests in flight.
    func stop() async { await stopServer() }

    /// One HTTP exchange with URLSession.
    func send(_ method: String = "GET", _ path: String, body: Data? = nil, contentType: String? = nil,
              headers: [String: String] = [:]) async throws -> HTTPReply {
        var request = URLRequest(url: URL(string: path, relativeTo: baseURL)!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 120
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await Self.session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return HTTPReply(status: http.statusCode, headers: http.allHeaderFields as? [String: String] ?? [:], body: data)
    }

    /// No caching, no cookies: every request reaches the server.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 32
        return URLSession(configuration: configuration)
    }()
}

/// A response as the tests read it.
struct HTTPReply: Sendable {
    let status: Int
    let headers: [String: String]
    let body: Data

    /// A header, by case-insensitive name.
    func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body as a JSON object.
    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any], "not a JSON object: \(String(decoding: body, as: UTF8.self))")
    }
}

/// A log handler that keeps every event, to check what the server logs.
struct LogCapture: LogHandler {
    final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [(message: String, metadata: Logger.Metadata)] = []
        func append(_ message: String, _ metadata: Logger.Metadata) { lock.withLock { stored.append((message, metadata)) } }
        var events: [(message: String, metadata: Logger.Metadata)] { lock.withLock { stored } }
    }

    let store = Store()
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.append(event.message.description, metadata.merging(event.metadata ?? [:]) { $1 })
    }
}

/// A raw TCP client, for what URLSession will not do: stall in the middle of a body.
final class RawHTTPConnection {
    private let fd: Int32

    /// Connects to 127.0.0.1:`port`.
    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { _ = Glibc.close(fd); throw POSIXError(.ECONNREFUSED) }
    }

    /// Sends all of `bytes`.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw POSIXError(.EPIPE) }
            offset += n
        }
    }

    /// Reads until the end of the response head (at most `timeout` seconds per read) and
    /// returns the status code.
    func receiveStatus(timeout: Int = 60) throws -> Int {
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let end = head.indices.dropLast(3).first(where: { head[$0..<($0 + 4)].elementsEqual([13, 10, 13, 10]) }) {
                head = Array(head[..<end])
                break
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { throw POSIXError(.ECONNRESET) }
            head += buffer[0..<n]
        }
        let statusLine = String(decoding: head.prefix { $0 != 13 }, as: UTF8.self).split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw POSIXError(.EPROTO) }
        return status
    }

    /// Closes the connection (an aborted upload, from the server's side).
    func close() { _ = Glibc.close(fd) }
}
