import Foundation
import Testing

/// Locates the read-only data shared by tests and benchmarks (`../shared` beside the package).
///
/// The data directory is `$FATHOM_DATA` when set, otherwise `<package root>/../shared/data`
/// (the package root found from this file's path); pretrained weights live in
/// `<data directory>/../pretrained`. A missing file fails the test with a message saying
/// where it was looked for and how to create it: data that silently skips tests hides broken
/// set-ups.
public enum SharedData {
    /// The directory holding the datasets (`pneumoniamnist/`, `chest_xray_224/`...).
    public static var dataDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["FATHOM_DATA"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true).standardized
        }
        // This file is <root>/Tests/FathomTestSupport/SharedData.swift.
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent("../shared/data", isDirectory: true).standardized
    }

    /// The directory holding pretrained weights and their reference outputs.
    public static var pretrainedDirectory: URL {
        dataDirectory.appendingPathComponent("../pretrained", isDirectory: true).standardized
    }

    /// The file or folder at `relativePath` under the data directory, failing the calling test
    /// if it does not exist.
    public static func dataFile(_ relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        try existing(dataDirectory.appendingPathComponent(relativePath), folder: false, sourceLocation: sourceLocation)
    }

    /// The folder at `relativePath` under the data directory, failing the calling test if it
    /// does not exist or is not a folder.
    public static func dataFolder(_ relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        try existing(dataDirectory.appendingPathComponent(relativePath, isDirectory: true), folder: true, sourceLocation: sourceLocation)
    }

    /// The file at `relativePath` under the pretrained-weights directory, failing the calling
    /// test if it does not exist.
    public static func pretrainedFile(_ relativePath: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        try existing(pretrainedDirectory.appendingPathComponent(relativePath), folder: false, sourceLocation: sourceLocation)
    }

    private static func existing(_ url: URL, folder: Bool, sourceLocation: SourceLocation) throws -> URL {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        try #require(exists && (!folder || isDirectory.boolValue),
                     "Shared test data missing: \(url.path)\(folder && exists ? " is not a folder" : ""). Set FATHOM_DATA to the data directory (its sibling ../pretrained holds the weights), or run Scripts/fetch-test-data to create it.",
                     sourceLocation: sourceLocation)
        return url
    }
}
