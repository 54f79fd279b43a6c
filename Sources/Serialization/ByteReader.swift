import Tensor

extension SerializationSupport {
    /// Bounds-checked little-endian reads from bytes that came from outside.
    ///
    /// Every read checks its range without overflowing (offsets may come from a corrupt
    /// header and be anywhere) and throws `SerializationError.truncated` naming `file`
    /// instead of trapping.
    struct ByteReader {
        /// The bytes being read.
        let bytes: [UInt8]
        /// The file name used in errors.
        let file: String

        /// Throws unless `offset..<offset+length` lies inside the bytes.
        func require(_ offset: Int, _ length: Int) throws {
            let (end, overflow) = offset.addingReportingOverflow(length)
            guard offset >= 0, length >= 0, !overflow, end <= bytes.count else {
                let expected = overflow || offset < 0 || length < 0 ? Int.max : end
                throw SerializationError.truncated(file: file, expected: expected, actual: bytes.count)
            }
        }

        /// The unsigned integer stored little-endian at `offset`.
        func integer<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, at offset: Int) throws -> T {
            try require(offset, MemoryLayout<T>.size)
            return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        }

        /// A copy of `length` bytes at `offset`.
        func bytes(at offset: Int, count length: Int) throws -> [UInt8] {
            try require(offset, length)
            return Array(bytes[offset..<(offset + length)])
        }

        /// Whether the four bytes at `offset` hold `signature` (false when out of range).
        func has(signature: UInt32, at offset: Int) -> Bool {
            (try? integer(UInt32.self, at: offset)) == signature
        }
    }

    /// Converts a length or offset read from a file to `Int`, refusing values that do not fit.
    static func int<T: BinaryInteger>(_ value: T, file: String, what: String) throws -> Int {
        guard let result = Int(exactly: value) else {
            throw SerializationError.malformedHeader(file: file, reason: "\(what) \(value) is out of range")
        }
        return result
    }

    /// The element count of `shape`, or `nil` if a dimension is negative or the count (or its
    /// byte size for elements of `byteCount` bytes) overflows `Int`.
    ///
    /// Every partial product is checked, so `Shape.count(of:)` on an accepted shape cannot trap.
    static func elementCount(of shape: [Int], byteCount: Int) -> (count: Int, bytes: Int)? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: byteCount)
        return overflow ? nil : (count, bytes)
    }
}
