#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Tensor

/// A NumPy `.npz` archive opened for reading: a zip file whose members are `.npy` files.
///
/// Opening reads the file and its central directory; each array is inflated, CRC-checked and
/// parsed when it is asked for, so that reading only the labels does not pay for the images.
///
/// ```swift
/// let archive = try NPZArchive(contentsOf: url)
/// archive.names                        // ["train_images", "train_labels", ...]
/// let labels = try archive["train_labels"].integers()
/// ```
public struct NPZArchive: Sendable {
    /// The path (or `"<memory>"`) used in error messages.
    public let file: String
    /// The array names in archive order, without the `.npy` suffix NumPy adds to members.
    public let names: [String]
    private let bytes: [UInt8]
    private let entries: [String: SerializationSupport.ZipEntry]

    /// Opens the archive at `url`.
    public init(contentsOf url: URL) throws {
        try self.init(bytes: SerializationSupport.BinaryFile.read(path: url.path), file: url.path)
    }

    /// Opens an archive held in memory; `file` names it in errors.
    public init(bytes: [UInt8], file: String = "<memory>") throws {
        let reader = SerializationSupport.ByteReader(bytes: bytes, file: file)
        var names: [String] = []
        var entries: [String: SerializationSupport.ZipEntry] = [:]
        for entry in try SerializationSupport.ZipReader.entries(of: reader) {
            let name = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
            // A repeated name refers to its last copy, as in Python's zipfile.
            if entries.updateValue(entry, forKey: name) == nil { names.append(name) }
        }
        self.file = file
        self.names = names
        self.bytes = bytes
        self.entries = entries
    }

    /// Whether the archive holds an array called `name` (with or without `.npy`).
    public func contains(_ name: String) -> Bool { entry(named: name) != nil }

    /// The array called `name` (with or without the `.npy` suffix).
    ///
    /// - Throws: `SerializationError.memberNotFound`, or any error of decompression, CRC
    ///   check or `.npy` parsing.
    public func array(named name: String) throws -> NPYArray {
        guard let entry = entry(named: name) else {
            throw SerializationError.memberNotFound(file: file, member: name)
        }
        let reader = SerializationSupport.ByteReader(bytes: bytes, file: file)
        let contents = try SerializationSupport.ZipReader.contents(of: entry, in: reader)
        return try NPY.decode(contents, file: "\(file):\(entry.name)")
    }

    /// The array called `name`; see ``array(named:)``.
    public subscript(name: String) -> NPYArray {
        get throws { try array(named: name) }
    }

    /// Every array of the archive, by name.
    public func arrays() throws -> [String: NPYArray] {
        var result: [String: NPYArray] = [:]
        for name in names { result[name] = try array(named: name) }
        return result
    }

    private func entry(named name: String) -> SerializationSupport.ZipEntry? {
        if let entry = entries[name] { return entry }
        return name.hasSuffix(".npy") ? entries[String(name.dropLast(4))] : nil
    }
}
