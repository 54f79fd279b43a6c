import Foundation
import PneumoniaKit
import Tensor
import Testing

/// `pneumonia fetch`'s download path against a real HTTP server on 127.0.0.1.
@Suite struct DownloaderTests {
    /// A payload with a known MD5 (computed by Fathom's MD5, itself checked against RFC 1321).
    let payload: [UInt8] = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) }
    var payloadMD5: String { MD5.hash(of: payload).hex }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-dl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func leftovers(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
    }

    @Test func downloadsVerifiesAndPlacesTheFile() async throws {
        let server = try LocalHTTPServer(routes: ["/data.npz": .body(payload)])
        defer { server.stop() }
        let directory = try temporaryDirectory()
        let destination = directory.appendingPathComponent("data.npz")
        let progressSeen = Counter()
        try await Downloader().download(server.url("/data.npz"), to: destination, expectedMD5: payloadMD5) { received, expected in
            #expect(expected == 300_000)
            progressSeen.set(received)
        }
        #expect(try Data(contentsOf: destination) == Data(payload))
        #expect(progressSeen.value == 300_000)
        #expect(try leftovers(in: directory) == ["data.npz"])
    }

    @Test func wrongChecksumLeavesNothingBehind() async throws {
        let server = try LocalHTTPServer(routes: ["/data.npz": .body(payload)])
        defer { server.stop() }
        let directory = try temporaryDirectory()
        let destination = directory.appendingPathComponent("data.npz")
        await #expect {
            try await Downloader().download(server.url("/data.npz"), to: destination,
                                            expectedMD5: "00000000000000000000000000000000")
        } throws: { error in
            guard case let DownloadError.checksumMismatch(_, expected, actual) = error else { return false }
            return expected == "00000000000000000000000000000000" && actual == payloadMD5
        }
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test func droppedConnectionIsReportedAndLeavesNothing() async throws {
        let server = try LocalHTTPServer(routes: ["/data.npz": .drop(body: Array(payload.prefix(50_000)), announced: payload.count)])
        defer { server.stop() }
        let directory = try temporaryDirectory()
        let destination = directory.appendingPathComponent("data.npz")
        await #expect {
            try await Downloader().download(server.url("/data.npz"), to: destination, expectedMD5: payloadMD5)
        } throws: { error in
            switch error as? DownloadError {
            case .truncated(_, let expected, let received)?: return expected == 300_000 && received < expected
            case .network?: return true  // curl may report the short read as a transfer error
            default: return false
            }
        }
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test func httpErrorStatusIsReported() async throws {
        let server = try LocalHTTPServer(routes: [:])
        defer { server.stop() }
        let directory = try temporaryDirectory()
        await #expect(throws: DownloadError.httpStatus(url: server.url("/missing.npz").absoluteString, status: 404)) {
            try await Downloader().download(server.url("/missing.npz"), to: directory.appendingPathComponent("x"),
                                            expectedMD5: payloadMD5)
        }
        #expect(try leftovers(in: directory).isEmpty)
    }

    @Test func refusedConnectionIsANetworkError() async throws {
        let server = try LocalHTTPServer(routes: [:])
        let url = server.url("/data.npz")
        server.stop()  // nothing listens on the port any more
        let directory = try temporaryDirectory()
        await #expect {
            try await Downloader(timeout: 5).download(url, to: directory.appendingPathComponent("x"), expectedMD5: payloadMD5)
        } throws: { error in
            if case DownloadError.network? = error as? DownloadError { return true }
            return false
        }
    }

    @Test func catalogMatchesTheOfficialRecord() throws {
        let small = try #require(RemoteDataset.pneumoniaMNIST(size: 28))
        #expect(small.url.absoluteString == "https://zenodo.org/records/10519652/files/pneumoniamnist.npz?download=1")
        #expect(small.md5 == "28209eda62fecd6e6a2d98b1501bb15f")
        #expect(RemoteDataset.pneumoniaMNIST(size: 224)?.fileName == "pneumoniamnist_224.npz")
        #expect(RemoteDataset.pneumoniaMNIST(size: 100) == nil)
    }

    @Test func dataLocationPrefersFathomDataThenCache() throws {
        let dataset = try #require(RemoteDataset.pneumoniaMNIST(size: 28))
        let location = DataLocation(environment: ["FATHOM_DATA": "/data", "XDG_CACHE_HOME": "/cache", "HOME": "/home/u"])
        #expect(location.candidates(for: dataset).map(\.path)
                == ["/data/pneumoniamnist/pneumoniamnist.npz", "/data/pneumoniamnist.npz", "/cache/fathom/pneumoniamnist.npz"])
        let plain = DataLocation(environment: ["HOME": "/home/u"])
        #expect(plain.cacheDirectory.path == "/home/u/.cache/fathom")
        #expect(throws: DataLocationError.self) { try plain.locate(dataset) }
    }
}

/// A thread-safe box for values reported from the download's background thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Int64 = 0
    var value: Int64 { lock.withLock { stored } }
    func set(_ v: Int64) { lock.withLock { stored = v } }
}
