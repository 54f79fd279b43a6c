import Foundation
import Testing

/// Locates the read-only data shared by tests and benchmarks (`../shared` beside the package).
///
/// The data directory is `$FATHOM_DATA` when set, otherwise `<package root>/../shared/data`
/// (the package root found from this file's path); pretrained weights live in
/// `<data directory>/../pretrained`. A missing file fails the test with a message saying
/// where it was looked for: data that silently skips tests hides broken set-ups.
enum SharedData {
    /// The directory holding the datasets (`pneumoniamnist/`, `chest_xray_224/`...).
    static var dataDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["FATHOM_DATA"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true).standardized
        }
        // This file is <root>/Tests/TensorTests/SharedData.swift.
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent("../shared/data", isDirectory: true).standardized
    }

    /// The directory holding pretrained weights and their reference outputs.
    static var pretrainedDirectory: URL {
        dataDirectory.appendingPathComponent("../pretrained", isDirectory: true).standardized
    }

    /// The data file at `relativePath`, failing the calling test if it does not exist.
    static func dataFile(_ relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        try existing(dataDirectory.appendingPathComponent(relativePath), sourceLocation: sourceLocation)
    }

    /// The pretrained-weights file at `relativePath`, failing the calling test if it does not
    /// exist.
    static func pretrainedFile(_ relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        try existing(pretrainedDirectory.appendingPathComponent(relativePath), sourceLocation: sourceLocation)
    }

    private static func existing(_ url: URL, sourceLocation: SourceLocation) throws -> URL {
        try #require(FileManager.default.fileExists(atPath: url.path),
                     "Shared test data missing: \(url.path). Set FATHOM_DATA to the data directory (its sibling ../pretrained holds the weights), or run Scripts/fetch-test-data to create it.",
                     sourceLocation: sourceLocation)
        return url
    }
}
