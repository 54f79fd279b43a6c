#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Tensor

/// Writing NumPy `.npz` archives (read them with ``NPZArchive``).
///
/// Each array becomes a member `name.npy`, members sorted by name, so that `numpy.load`
/// returns the arrays under their names.
///
/// ```swift
/// try NPZ.write(["images": NPYArray(shape: [2, 2], scalars: pixels),
///                "labels": NPYArray(shape: [2], scalars: [Int64(0), 1])], to: url)
/// ```
public enum NPZ {
    /// How members are stored.
    public enum Compression: Sendable {
        /// Uncompressed, like `numpy.savez`.
        case stored
        /// Deflated, like `numpy.savez_compressed`.
        case deflated
    }

    /// The bytes of an archive holding `arrays`.
    ///
    /// - Parameter forceZIP64: write ZIP64 records even for small archives (as NumPy does for
    ///   its local headers); otherwise they appear only when sizes or offsets need them.
    /// - Throws: `SerializationError.invalidName` for an empty name,
    ///   `.unsupportedDType` for bfloat16 arrays.
    public static func encode(_ arrays: [String: NPYArray], compression: Compression = .stored, forceZIP64: Bool = false) throws -> [UInt8] {
        var writer = SerializationSupport.ZipWriter(forceZIP64: forceZIP64)
        for name in arrays.keys.sorted() {
            guard !name.isEmpty else { throw SerializationError.invalidName(name: name, reason: "empty name") }
            try writer.add(name: name + ".npy", contents: NPY.encode(arrays[name]!), deflate: compression == .deflated)
        }
        return writer.finish()
    }

    /// Writes `arrays` to `url` atomically (a temporary file renamed into place).
    public static func write(_ arrays: [String: NPYArray], to url: URL, compression: Compression = .stored, forceZIP64: Bool = false) throws {
        try SerializationSupport.BinaryFile.writeAtomically(encode(arrays, compression: compression, forceZIP64: forceZIP64), to: url.path)
    }

    /// Writes `tensors` to `url` as float32 arrays, atomically.
    public static func write(_ tensors: [String: Tensor], to url: URL, compression: Compression = .stored) throws {
        try write(tensors.mapValues { NPYArray($0) }, to: url, compression: compression)
    }
}
