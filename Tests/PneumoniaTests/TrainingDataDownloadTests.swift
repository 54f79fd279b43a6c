import Foundation
import PneumoniaKit
import Serialization
import Tensor
import Testing

/// `pneumonia train` without data: PneumoniaMNIST is fetched into the cache as `pneumonia fetch`
/// fetches it (progress, MD5 check, atomic write) — here from a real HTTP server on 127.0.0.1,
/// never the internet; without a download (`--no-download`) or without network, one message
/// says which file to put where, with the URL and `pneumonia fetch`.
@Suite struct TrainingDataDownloadTests {
    /// A small archive in the MedMNIST layout: 8/4/4 gray 28×28 images with labels 0 and 1.
    static let archive: [UInt8] = {
        var arrays: [String: NPYArray] = [:]
        for (split, count) in [("train", 8), ("val", 4), ("test", 4)] {
            arrays["\(split)_images"] = NPYArray(shape: [count, 28, 28], scalars: (0..<(count * 784)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            arrays["\(split)_labels"] = NPYArray(shape: [count, 1], scalars: (0..<count).map { UInt8($0 % 2) })
        }
        return (try? NPZ.encode(arrays)) ?? []
    }()

    /// A location whose cache is a new temporary folder, without `$FATHOM_DATA`.
    static func emptyLocation() throws -> DataLocation {
        DataLocation(environment: ["XDG_CACHE_HOME": try XRayFolderFixture.temporaryFolder().path])
    }

    /// The catalogue's 28-px entry, served from `url` with the given MD5.
    static func dataset(at url: URL, md5: String) -> RemoteDataset {
        RemoteDataset(fileName: "pneumoniamnist.npz", url: url, md5: md5, imageSize: 28)
    }

    /// The message of a failed `locate`, or "" when it did not fail.
    static func message(_ location: DataLocation, _ dataset: RemoteDataset, downloader: Downloader?) async -> String {
        let error = await #expect(throws: DataLocationError.self) {
            try await location.locate(dataset, downloadingWith: downloader) { _ in }
        }
        return error.map { "\($0)" } ?? ""
    }

    @Test func missingDataIsDownloadedVerifiedAndOpened() async throws {
        let server = try LocalHTTPServer(routes: ["/pneumoniamnist.npz": .body(Self.archive)])
        defer { server.stop() }
        let location = try Self.emptyLocation()
        let dataset = Self.dataset(at: server.url("/pneumoniamnist.npz"), md5: MD5.hash(of: Self.archive).hex)
        let lines = LineLog()
        let file = try await location.locate(dataset, downloadingWith: Downloader(timeout: 10)) { lines.append($0) }

        #expect(file == location.destination(for: dataset))
        #expect(try Data(contentsOf: file) == Data(Self.archive))
        #expect(try FileManager.default.contentsOfDirectory(atPath: location.cacheDirectory.path) == ["pneumoniamnist.npz"])
        #expect(lines.lines.contains("saved \(file.path) (md5 \(dataset.md5) verified)"), "\(lines.lines)")
        let data = try PneumoniaData(source: .npz(file))
        #expect(data.train.count == 8 && data.validation.count == 4)
        // Found in the cache the next time, without a word about downloading.
        let again = LineLog()
        let cached = try await location.locate(dataset, downloadingWith: Downloader(timeout: 5)) { again.append($0) }
        #expect(cached == file && again.lines.isEmpty)
    }

    @Test func wrongChecksumIsRefusedAndLeavesNothing() async throws {
        let server = try LocalHTTPServer(routes: ["/pneumoniamnist.npz": .body(Self.archive)])
        defer { server.stop() }
        let location = try Self.emptyLocation()
        let dataset = Self.dataset(at: server.url("/pneumoniamnist.npz"), md5: "00000000000000000000000000000000")
        let error = await #expect(throws: DataLocationError.self) {
            try await location.locate(dataset, downloadingWith: Downloader(timeout: 10)) { _ in }
        }
        guard case .downloadFailed(.checksumMismatch(_, let expected, let actual), _)? = error else {
            Issue.record("expected a checksum mismatch, got \(String(describing: error))")
            return
        }
        #expect(expected == dataset.md5 && actual == MD5.hash(of: Self.archive).hex)
        #expect(try FileManager.default.contentsOfDirectory(atPath: location.cacheDirectory.path).isEmpty)
    }

    @Test func withoutDownloadingOneMessageSaysWhichFileToPutWhere() async throws {
        let location = try Self.emptyLocation()
        let dataset = try #require(RemoteDataset.pneumoniaMNIST(size: 28))  // the real entry: nothing is fetched
        let message = await Self.message(location, dataset, downloader: nil)
        for part in [location.destination(for: dataset).path, dataset.url.absoluteString, dataset.md5, "`pneumonia fetch --size 28`"] {
            #expect(message.contains(part), "the message lacks \(part): \(message)")
        }
        #expect(!FileManager.default.fileExists(atPath: location.cacheDirectory.path))
    }

    @Test func withoutNetworkTheReasonComesWithTheSameInstructions() async throws {
        let server = try LocalHTTPServer(routes: [:])
        let dataset = Self.dataset(at: server.url("/pneumoniamnist.npz"), md5: MD5.hash(of: Self.archive).hex)
        server.stop()  // nothing listens on the port any more
        let location = try Self.emptyLocation()
        let message = await Self.message(location, dataset, downloader: Downloader(timeout: 5))
        #expect(message.hasPrefix("could not download \(dataset.url.absoluteString)"), "\(message)")
        #expect(message.contains(location.instructions(for: dataset)))
        #expect(!FileManager.default.fileExists(atPath: location.destination(for: dataset).path))
    }
}

/// Lines logged from another thread.
final class LineLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var lines: [String] { lock.withLock { stored } }
    func append(_ line: String) { lock.withLock { stored.append(line) } }
}
