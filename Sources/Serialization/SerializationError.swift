/// What went wrong while reading or writing a serialized file (NPY, NPZ, safetensors) or
/// hashing one.
///
/// Every case names the file (a path, `"<memory>"` for in-memory bytes, or
/// `"archive.npz:member.npy"` for an archive member) so that the message alone says where to
/// look.

import Tensor
public enum SerializationError: Error, Sendable, Equatable {
    /// The operating system refused an operation on `path` (open, read, write, rename...).
    case io(path: String, reason: String)
    /// The file ended early: `expected` bytes were needed, only `actual` are present.
    case truncated(file: String, expected: Int, actual: Int)
    /// The file does not start with the signature of the expected `format`.
    case badMagic(file: String, format: String)
    /// The file declares a format version this reader does not know.
    case unsupportedVersion(file: String, version: String)
    /// The file stores elements of a type this reader cannot convert.
    case unsupportedDType(file: String, dtype: String)
    /// The header (NPY dictionary, safetensors JSON, zip directory) is not well formed.
    case malformedHeader(file: String, reason: String)
    /// A declared shape has a negative dimension or an element count that overflows.
    case invalidShape(file: String, name: String, shape: [Int])
    /// The byte range of tensor `name` lies outside the data buffer of `bufferSize` bytes.
    case offsetOutOfBounds(file: String, name: String, begin: Int, end: Int, bufferSize: Int)
    /// The byte length of `name`'s data (`actual`) does not match its shape and dtype
    /// (`expected`).
    case sizeMismatch(file: String, name: String, expected: Int, actual: Int)
    /// An archive member's CRC-32 does not match the one recorded in the archive.
    case crcMismatch(file: String, member: String, expected: UInt32, actual: UInt32)
    /// An archive member uses a compression method other than stored (0) or deflate (8),
    /// or is encrypted.
    case unsupportedCompression(file: String, member: String, method: Int)
    /// zlib could not inflate or deflate a member.
    case compressionFailed(file: String, member: String, reason: String)
    /// The archive has no member of that name.
    case memberNotFound(file: String, member: String)
    /// The stored values cannot be represented in the requested Swift type (a fractional
    /// float read as integers, a dtype read as a different scalar type, a value out of range).
    case notRepresentable(file: String, dtype: String, requested: String)
    /// A name cannot be written (reserved, empty or too long for the format).
    case invalidName(name: String, reason: String)
}

extension SerializationError: CustomStringConvertible {
    /// A one-line explanation that names the file and the problem.
    public var description: String {
        switch self {
        case let .io(path, reason):
            return "\(path): \(reason)"
        case let .truncated(file, expected, actual):
            return "\(file): truncated, needs \(expected) bytes but only \(actual) are present"
        case let .badMagic(file, format):
            return "\(file): not a \(format) file (bad magic bytes)"
        case let .unsupportedVersion(file, version):
            return "\(file): unsupported format version \(version)"
        case let .unsupportedDType(file, dtype):
            return "\(file): unsupported dtype '\(dtype)'"
        case let .malformedHeader(file, reason):
            return "\(file): malformed header: \(reason)"
        case let .invalidShape(file, name, shape):
            return "\(file): tensor '\(name)' has invalid shape \(shape) (negative dimension or element count overflow)"
        case let .offsetOutOfBounds(file, name, begin, end, bufferSize):
            return "\(file): tensor '\(name)' data range \(begin)..<\(end) lies outside the \(bufferSize)-byte data buffer"
        case let .sizeMismatch(file, name, expected, actual):
            return "\(file): '\(name)' has \(actual) bytes of data, its shape and dtype need \(expected)"
        case let .crcMismatch(file, member, expected, actual):
            return "\(file): member '\(member)' is corrupt (CRC-32 \(hex(actual)), archive records \(hex(expected)))"
        case let .unsupportedCompression(file, member, method):
            return "\(file): member '\(member)' uses unsupported compression method \(method) (or is encrypted)"
        case let .compressionFailed(file, member, reason):
            return "\(file): member '\(member)': \(reason)"
        case let .memberNotFound(file, member):
            return "\(file): no member named '\(member)'"
        case let .notRepresentable(file, dtype, requested):
            return "\(file): values of dtype \(dtype) cannot be read as \(requested)"
        case let .invalidName(name, reason):
            return "cannot write tensor named '\(name)': \(reason)"
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
