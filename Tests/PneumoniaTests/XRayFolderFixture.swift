import FathomTestSupport
import Foundation
import Testing

/// Image folders for tests, built in a fresh temporary folder out of symbolic links to a few
/// real 224-px X-rays of the shared data (never copies of it).
enum XRayFolderFixture {
    /// A new empty temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-folders-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `count` real X-rays of `label` (`NORMAL` or `PNEUMONIA`), from the `offset`-th by name.
    static func xrays(_ label: String, count: Int, offset: Int = 0) throws -> [URL] {
        let folder = try SharedData.dataFolder("chest_xray_224/train/\(label)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".jpeg") }.sorted()
        try #require(names.count >= offset + count, "fewer than \(offset + count) X-rays in \(folder.path)")
        return names[offset..<(offset + count)].map { folder.appendingPathComponent($0) }
    }

    /// `folder/NORMAL/` and `folder/PNEUMONIA/` (or only the given classes), each holding
    /// links to `count` real X-rays; returns the linked files in dataset order.
    @discardableResult
    static func makeClassFolders(in folder: URL, classes: [String] = ["NORMAL", "PNEUMONIA"], count: Int = 3,
                                 offset: Int = 0) throws -> [URL] {
        var linked: [URL] = []
        for label in classes {
            let target = folder.appendingPathComponent(label)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for file in try xrays(label, count: count, offset: offset) {
                try FileManager.default.createSymbolicLink(at: target.appendingPathComponent(file.lastPathComponent),
                                                           withDestinationURL: file)
                linked.append(file)
            }
        }
        return linked
    }

    /// A symbolic link at `link` to `destination`.
    static func symlink(_ link: URL, to destination: URL) throws {
        try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: destination)
    }
}
