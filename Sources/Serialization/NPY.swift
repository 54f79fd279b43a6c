#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Tensor

/// Reading and writing NumPy `.npy` files.
///
/// Reads format versions 1.0, 2.0 and 3.0 with the dtypes of ``SerializedDType`` in either
/// byte order and either memory order (Fortran-order data is transposed to row-major). Writes
/// version 1.0 (2.0 only when the header would not fit), little-endian, C order. Nothing in
/// a header is trusted: lengths, shapes and sizes are checked before any byte is read.
///
/// ```swift
/// try NPY.write(tensor, to: url)
/// let array = try NPY.read(from: url)   // NPYArray
/// let back = array.tensor()
/// ```
public enum NPY {
    /// The six bytes every `.npy` file starts with.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // "\x93NUMPY"

    /// Reads the `.npy` file at `url`.
    public static func read(from url: URL) throws -> NPYArray {
        try decode(SerializationSupport.BinaryFile.read(path: url.path), file: url.path)
    }

    /// Writes `array` to `url` atomically (a temporary file renamed into place).
    public static func write(_ array: NPYArray, to url: URL) throws {
        try SerializationSupport.BinaryFile.writeAtomically(encode(array), to: url.path)
    }

    /// Writes `tensor` to `url` as a float32 (`<f4`) array, atomically.
    public static func write(_ tensor: Tensor, to url: URL) throws {
        try write(NPYArray(tensor), to: url)
    }

    /// Parses the bytes of a `.npy` file; `file` names the source in errors.
    ///
    /// The element data is cut out of `bytes` in place when the caller hands over its last
    /// reference (as ``NPZArchive`` does), so a 236 MB image array is not copied again.
    public static func decode(_ bytes: consuming [UInt8], file: String = "<memory>") throws -> NPYArray {
        // The reader holds a second reference only until the header is parsed.
        let header = try parseHeader(SerializationSupport.ByteReader(bytes: copy bytes, file: file))
        // Trailing bytes are allowed, as in NumPy: several arrays may be saved one after another.
        let end = header.dataOffset + header.byteCount
        if end < bytes.count { bytes.removeSubrange(end...) }
        bytes.removeSubrange(..<header.dataOffset)
        if header.bigEndian { swapByteOrder(&bytes, elementSize: header.dtype.byteCount) }
        if header.fortranOrder && header.shape.count > 1 && header.byteCount > 0 {
            bytes = transposeFromFortranOrder(bytes, shape: header.shape, elementSize: header.dtype.byteCount)
        }
        return NPYArray(shape: header.shape, dtype: header.dtype, data: bytes)
    }

    /// The bytes of a `.npy` file holding `array` (version 1.0 unless the header needs 2.0).
    ///
    /// - Throws: `SerializationError.unsupportedDType` for bfloat16, which NumPy lacks.
    public static func encode(_ array: NPYArray) throws -> [UInt8] {
        guard let descriptor = array.dtype.npyDescriptor else {
            throw SerializationError.unsupportedDType(file: "<memory>", dtype: "\(array.dtype) (NumPy has no bfloat16)")
        }
        let shapeText: String
        switch array.shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(array.shape[0]),)"
        default: shapeText = "(" + array.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var text = "{'descr': '\(descriptor)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Like NumPy, leave room for the first dimension to grow to 21 digits, so that tools
        // appending rows can rewrite the header in place; this also makes the bytes identical
        // to `numpy.save`'s.
        if let first = array.shape.first { text += String(repeating: " ", count: max(0, 21 - String(first).count)) }
        var dictionary = Array(text.utf8)
        // Pad with spaces and end with a newline so that the data starts 64-byte aligned
        // (NumPy's rule, which adds a full 64 when already aligned). Version 1.0 stores the
        // header length in 2 bytes; a longer header (rank in the thousands) needs 2.0's 4.
        func padding(_ preamble: Int) -> Int { 64 - (preamble + dictionary.count + 1) % 64 }
        let version: UInt8 = dictionary.count + 1 + padding(10) <= Int(UInt16.max) ? 1 : 2
        let preamble = version == 1 ? 10 : 12
        dictionary += [UInt8](repeating: 0x20, count: padding(preamble)) + [0x0A]

        var bytes = magic + [version, 0]
        bytes.reserveCapacity(preamble + dictionary.count + array.data.count)
        if version == 1 {
            bytes += withUnsafeBytes(of: UInt16(dictionary.count).littleEndian) { [UInt8]($0) }
        } else {
            bytes += withUnsafeBytes(of: UInt32(dictionary.count).littleEndian) { [UInt8]($0) }
        }
        bytes += dictionary
        bytes += array.data
        return bytes
    }

    /// What the preamble and header dictionary of a `.npy` file declare.
    struct Header {
        var dtype: SerializedDType
        var bigEndian: Bool
        var fortranOrder: Bool
        var shape: [Int]
        /// Where the element data starts.
        var dataOffset: Int
        /// The size of the element data, checked to lie within the file.
        var byteCount: Int
    }

    static func parseHeader(_ reader: SerializationSupport.ByteReader) throws -> Header {
        let file = reader.file
        let bytes = reader.bytes
        let prefixLength = min(bytes.count, magic.count)
        guard bytes[0..<prefixLength].elementsEqual(magic[0..<prefixLength]) else {
            throw SerializationError.badMagic(file: file, format: "NumPy .npy")
        }
        try reader.require(0, 10)
        let (major, minor) = (bytes[6], bytes[7])
        guard (1...3).contains(major), minor == 0 else {
            throw SerializationError.unsupportedVersion(file: file, version: "\(major).\(minor)")
        }
        let (headerLength, preamble) = major == 1
            ? (Int(try reader.integer(UInt16.self, at: 8)), 10)
            : (try SerializationSupport.int(try reader.integer(UInt32.self, at: 8), file: file, what: "header length"), 12)
        try reader.require(preamble, headerLength)

        var parser = HeaderParser(text: Array(bytes[preamble..<(preamble + headerLength)]), file: file)
        guard case let .dictionary(entries) = try parser.parse() else {
            throw SerializationError.malformedHeader(file: file, reason: "the header is not a dictionary")
        }
        func value(_ key: String) throws -> Literal {
            guard let entry = entries.last(where: { $0.key == key }) else {
                throw SerializationError.malformedHeader(file: file, reason: "missing key '\(key)'")
            }
            return entry.value
        }
        let descriptor: String
        switch try value("descr") {
        case let .string(text): descriptor = text
        case .sequence: throw SerializationError.unsupportedDType(file: file, dtype: "structured dtype")
        default: throw SerializationError.malformedHeader(file: file, reason: "'descr' is not a string")
        }
        guard let (dtype, bigEndian) = SerializedDType.parse(npyDescriptor: descriptor) else {
            throw SerializationError.unsupportedDType(file: file, dtype: descriptor)
        }
        guard case let .bool(fortranOrder) = try value("fortran_order") else {
            throw SerializationError.malformedHeader(file: file, reason: "'fortran_order' is not True or False")
        }
        guard case let .sequence(dimensions) = try value("shape") else {
            throw SerializationError.malformedHeader(file: file, reason: "'shape' is not a tuple")
        }
        let shape = try dimensions.map { dimension -> Int in
            guard case let .integer(size) = dimension else {
                throw SerializationError.malformedHeader(file: file, reason: "'shape' holds a non-integer")
            }
            return size
        }
        guard let (_, byteCount) = SerializationSupport.elementCount(of: shape, byteCount: dtype.byteCount) else {
            throw SerializationError.invalidShape(file: file, name: "array", shape: shape)
        }
        try reader.require(preamble + headerLength, byteCount)
        return Header(dtype: dtype, bigEndian: bigEndian, fortranOrder: fortranOrder, shape: shape,
                      dataOffset: preamble + headerLength, byteCount: byteCount)
    }
}
