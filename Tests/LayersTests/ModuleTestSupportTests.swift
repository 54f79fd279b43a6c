import Foundation
import Testing

// Support shared by the module, zoo and state-dictionary tests (this file holds no tests).

/// Locates the read-only data shared by tests (`../shared` beside the package): `$FATHOM_DATA`
/// when set, else `<package root>/../shared/data`; pretrained weights live in
/// `<data directory>/../pretrained`. A missing file fails the test and says where it looked.
enum LayersTestData {
    /// The directory holding the datasets.
    static var dataDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["FATHOM_DATA"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true).standardized
        }
        // This file is <root>/Tests/LayersTests/ModuleTestSupportTests.swift.
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent("../shared/data", isDirectory: true).standardized
    }

    /// The data file at `relativePath` (under the data directory).
    static func dataFile(_ relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        try existing(dataDirectory.appendingPathComponent(relativePath), sourceLocation: sourceLocation)
    }

    /// The file at `relativePath` under the pretrained-weights directory.
    static func pretrainedFile(_ relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let directory = dataDirectory.appendingPathComponent("../pretrained", isDirectory: true).standardized
        return try existing(directory.appendingPathComponent(relativePath), sourceLocation: sourceLocation)
    }

    private static func existing(_ url: URL, sourceLocation: SourceLocation) throws -> URL {
        try #require(FileManager.default.fileExists(atPath: url.path),
                     "Shared test data missing: \(url.path). Set FATHOM_DATA to the data directory (its sibling ../pretrained holds the weights), or run Scripts/fetch-test-data to create it.",
                     sourceLocation: sourceLocation)
        return url
    }
}

/// A scratch directory removed when the value is released.
final class TemporaryDirectory {
    /// The directory.
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-layers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
