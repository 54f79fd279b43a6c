import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Tensor

/// Downloads a file over HTTP(S) into place, atomically and verified.
///
/// Bytes stream into a temporary file next to the destination while their MD5 is computed;
/// only a complete, matching download is renamed into place, so an interrupted or corrupted
/// transfer never leaves a file that looks valid.
public struct Downloader: Sendable {
    /// Seconds without progress before the transfer is abandoned.
    public var timeout: TimeInterval

    /// A downloader with the given inactivity timeout.
    public init(timeout: TimeInterval = 60) {
        self.timeout = timeout
    }

    /// Downloads `url` to `destination`, checking the MD5 (lowercase hex).
    ///
    /// - Parameter progress: called with bytes received and the expected total (if the server
    ///   sent a length), from a background thread.
    public func download(_ url: URL, to destination: URL, expectedMD5: String,
                         progress: @escaping @Sendable (Int64, Int64?) -> Void = { _, _ in }) async throws(DownloadError) {
        let directory = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory.path, reason: error.localizedDescription)
        }
        let temporary = directory.appendingPathComponent(".\(destination.lastPathComponent).part-\(getpid())")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw .io(path: temporary.path, reason: "cannot create the temporary file")
        }
        let receiver = StreamingReceiver(url: url, handle: handle, progress: progress)
        let outcome: Result<MD5.Digest, DownloadError> = await receiver.run(timeout: timeout)
        try? handle.close()
        switch outcome {
        case .failure(let error):
            try? FileManager.default.removeItem(at: temporary)
            throw error
        case .success(let digest):
            guard digest.hex == expectedMD5.lowercased() else {
                try? FileManager.default.removeItem(at: temporary)
                throw .checksumMismatch(url: url.absoluteString, expected: expectedMD5.lowercased(), actual: digest.hex)
            }
            if rename(temporary.path, destination.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw .io(path: destination.path, reason: reason)
            }
        }
    }
}

/// Why a download failed.
public enum DownloadError: Error, CustomStringConvertible, Equatable {
    /// No connection could be made or it broke (no network, DNS failure, reset, timeout).
    case network(url: String, reason: String)
    /// The server answered with a status other than 200.
    case httpStatus(url: String, status: Int)
    /// The connection closed before the announced length arrived.
    case truncated(url: String, expected: Int64, received: Int64)
    /// The file arrived but its MD5 is not the published one.
    case checksumMismatch(url: String, expected: String, actual: String)
    /// The file could not be written.
    case io(path: String, reason: String)

    /// A sentence saying what went wrong.
    public var description: String {
        switch self {
        case let .network(url, reason): return "could not download \(url): \(reason)"
        case let .httpStatus(url, status): return "server answered HTTP \(status) for \(url)"
        case let .truncated(url, expected, received):
            return "download of \(url) stopped after \(received) of \(expected) bytes (connection dropped)"
        case let .checksumMismatch(url, expected, actual):
            return "file from \(url) has MD5 \(actual), expected \(expected): the download is corrupt or not the official file"
        case let .io(path, reason): return "cannot write \(path): \(reason)"
        }
    }
}

/// The URLSession delegate that writes each chunk as it arrives and hashes it on the way.
private final class StreamingReceiver: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let url: URL
    private let handle: FileHandle
    private let progress: @Sendable (Int64, Int64?) -> Void
    private let lock = NSLock()
    // Mutable state below is only touched on the session's serial delegate queue, and read
    // after completion under `lock`.
    private var hasher = MD5()
    private var received: Int64 = 0
    private var expected: Int64?
    private var failure: DownloadError?
    private var continuation: CheckedContinuation<Result<MD5.Digest, DownloadError>, Never>?

    init(url: URL, handle: FileHandle, progress: @escaping @Sendable (Int64, Int64?) -> Void) {
        self.url = url
        self.handle = handle
        self.progress = progress
    }

    func run(timeout: TimeInterval) async -> Result<MD5.Digest, DownloadError> {
        await withCheckedContinuation { continuation in
            lock.withLock { self.continuation = continuation }
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = timeout
            let queue = OperationQueue()
            queue.maxConcurrentOperationCount = 1
            let session = URLSession(configuration: configuration, delegate: self, delegateQueue: queue)
            session.dataTask(with: url).resume()
            session.finishTasksAndInvalidate()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse, http.statusCode != 200 {
            failure = .httpStatus(url: url.absoluteString, status: http.statusCode)
            completionHandler(.cancel)
            return
        }
        expected = response.expectedContentLength >= 0 ? response.expectedContentLength : nil
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard failure == nil else { return }
        do {
            try handle.write(contentsOf: data)
        } catch {
            failure = .io(path: "temporary download file", reason: error.localizedDescription)
            dataTask.cancel()
            return
        }
        data.withUnsafeBytes { hasher.update($0) }
        received += Int64(data.count)
        progress(received, expected)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        var result: Result<MD5.Digest, DownloadError>
        if let failure {
            result = .failure(failure)
        } else if let expected, received != expected {
            result = .failure(.truncated(url: url.absoluteString, expected: expected, received: received))
        } else if let error {
            result = .failure(.network(url: url.absoluteString, reason: error.localizedDescription))
        } else {
            result = .success(hasher.finalize())
        }
        let continuation = lock.withLock { () -> CheckedContinuation<Result<MD5.Digest, DownloadError>, Never>? in
            defer { self.continuation = nil }
            return self.continuation
        }
        continuation?.resume(returning: result)
    }
}
