#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Tensor

/// Reading and writing `.safetensors` files, the tensor format shared by PyTorch, MLX and
/// Hugging Face (and Fathom's checkpoints).
///
/// Layout: an 8-byte little-endian header length N, N bytes of JSON
/// `{"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
/// "__metadata__": {"key": "value"}}`, then the data buffer that the offsets index.
/// Fathom writes F32 only, tensors sorted by name, the header padded with spaces so that the
/// data starts 8-byte aligned. It reads every dtype of ``SerializedDType``, converting to
/// Float32, and checks every header field before touching the data.
///
/// ```swift
/// try SafeTensors.write(["fc.weight": w, "fc.bias": b], metadata: ["epoch": "3"], to: url)
/// let file = try SafeTensors.read(from: url)
/// let w2 = file["fc.weight"]!
/// ```
public enum SafeTensors {
    /// Headers larger than this are refused (the limit of the reference implementation).
    public static let maximumHeaderSize = 100_000_000
    /// JSON nesting deeper than this is refused before decoding: a real header nests three
    /// levels, and a hostile one must not exhaust the stack.
    static let maximumNesting = 8

    /// Reads the file at `url`.
    public static func read(from url: URL) throws -> SafeTensorsFile {
        try decode(SerializationSupport.BinaryFile.read(path: url.path), file: url.path)
    }

    /// Writes `tensors` (as F32) and `metadata` to `url` atomically: a temporary file in the
    /// same directory is written, flushed to disk and renamed over `url`.
    ///
    /// - Throws: `SerializationError.invalidName` for the reserved name `__metadata__`, or
    ///   `.io` when the file system refuses.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        try SerializationSupport.BinaryFile.writeAtomically(encode(tensors, metadata: metadata), to: url.path)
    }

    /// The bytes of a safetensors file holding `tensors` (as F32) and `metadata`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> [UInt8] {
        let names = tensors.keys.sorted()
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { quoted($0) + ":" + quoted(metadata[$0]!) }
            entries.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for name in names {
            guard name != "__metadata__" else { throw SerializationError.invalidName(name: name, reason: "reserved by the safetensors format") }
            let tensor = tensors[name]!
            let end = offset + tensor.scalarCount * MemoryLayout<Float>.size
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append(quoted(name) + ":{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        // Spaces are valid trailing JSON whitespace; they put the data at an 8-byte boundary.
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)

        let dataStart = 8 + header.count
        return [UInt8](unsafeUninitializedCapacity: dataStart + offset) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.storeBytes(of: UInt64(header.count).littleEndian, toByteOffset: 0, as: UInt64.self)
            header.withUnsafeBytes { raw.baseAddress!.advanced(by: 8).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            var position = dataStart
            for name in names {
                tensors[name]!.withUnsafeBufferPointer { scalars in
                    guard let source = scalars.baseAddress, !scalars.isEmpty else { return }
                    let byteCount = scalars.count * MemoryLayout<Float>.size
                    raw.baseAddress!.advanced(by: position).copyMemory(from: source, byteCount: byteCount)
                    position += byteCount
                }
            }
            initialized = dataStart + offset
        }
    }

    /// Parses the bytes of a safetensors file; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String = "<memory>") throws -> SafeTensorsFile {
        func malformed(_ reason: String) -> SerializationError { .malformedHeader(file: file, reason: reason) }
        let reader = SerializationSupport.ByteReader(bytes: bytes, file: file)
        let declaredLength = try reader.integer(UInt64.self, at: 0)
        guard declaredLength <= UInt64(maximumHeaderSize) else { throw malformed("header length \(declaredLength) exceeds \(maximumHeaderSize) bytes") }
        let headerLength = Int(declaredLength)
        try reader.require(8, headerLength)
        let headerBytes = bytes[8..<(8 + headerLength)]
        guard headerBytes.first == UInt8(ascii: "{") else { throw malformed("the header is not a JSON object") }
        guard nestingDepth(of: headerBytes) <= maximumNesting else { throw malformed("JSON nested too deeply") }
        let json: JSONValue
        do {
            json = try JSONDecoder().decode(JSONValue.self, from: Data(headerBytes))
        } catch {
            throw malformed("invalid JSON (\(error))")
        }
        guard case let .object(entries) = json else { throw malformed("the header is not a JSON object") }

        // Validate every entry before converting any data.
        let dataStart = 8 + headerLength
        let bufferSize = bytes.count - dataStart
        var entriesByName: [String: Entry] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                metadata = try parseMetadata(value, file: file)
            } else {
                entriesByName[name] = try Entry(name: name, json: value, bufferSize: bufferSize, file: file)
            }
        }
        let tensors = bytes.withUnsafeBytes { raw in
            entriesByName.mapValues { entry in
                let source = UnsafeRawBufferPointer(rebasing: raw[(dataStart + entry.begin)..<(dataStart + entry.end)])
                return Tensor(shape: entry.shape) { entry.dtype.convert(source, toFloats: $0) }
            }
        }
        let names = entriesByName.keys.sorted { (entriesByName[$0]!.begin, $0) < (entriesByName[$1]!.begin, $1) }
        return SafeTensorsFile(names: names, tensors: tensors, dtypes: entriesByName.mapValues(\.dtype), metadata: metadata)
    }

    /// One tensor's header entry, checked against the data buffer.
    private struct Entry {
        var dtype: SerializedDType
        var shape: [Int]
        var begin: Int
        var end: Int

        init(name: String, json: JSONValue, bufferSize: Int, file: String) throws {
            func malformed(_ reason: String) -> SerializationError { .malformedHeader(file: file, reason: reason) }
            guard case let .object(info) = json else { throw malformed("entry '\(name)' is not an object") }
            guard case let .string(dtypeName)? = info["dtype"] else { throw malformed("entry '\(name)' has no string 'dtype'") }
            guard let dtype = SerializedDType(safeTensorsName: dtypeName) else {
                throw SerializationError.unsupportedDType(file: file, dtype: dtypeName)
            }
            guard let shape = info["shape"]?.integers else { throw malformed("entry '\(name)' has no integer array 'shape'") }
            guard let offsets = info["data_offsets"]?.integers, offsets.count == 2 else {
                throw malformed("entry '\(name)' has no 'data_offsets' pair of integers")
            }
            guard let (_, byteCount) = SerializationSupport.elementCount(of: shape, byteCount: dtype.byteCount) else {
                throw SerializationError.invalidShape(file: file, name: name, shape: shape)
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= bufferSize else {
                throw SerializationError.offsetOutOfBounds(file: file, name: name, begin: begin, end: end, bufferSize: bufferSize)
            }
            guard end - begin == byteCount else {
                throw SerializationError.sizeMismatch(file: file, name: name, expected: byteCount, actual: end - begin)
            }
            (self.dtype, self.shape, self.begin, self.end) = (dtype, shape, begin, end)
        }
    }

    private static func parseMetadata(_ value: JSONValue, file: String) throws -> [String: String] {
        switch value {
        case .null:
            return [:]
        case let .object(pairs):
            return try pairs.mapValues { value in
                guard case let .string(text) = value else {
                    throw SerializationError.malformedHeader(file: file, reason: "'__metadata__' values must be strings")
                }
                return text
            }
        default:
            throw SerializationError.malformedHeader(file: file, reason: "'__metadata__' is not an object")
        }
    }

    /// The deepest bracket nesting of JSON text, ignoring brackets inside strings.
    private static func nestingDepth(of text: ArraySlice<UInt8>) -> Int {
        var (depth, deepest, inString, escaped) = (0, 0, false, false)
        for byte in text {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
                deepest = max(deepest, depth)
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
            }
        }
        return deepest
    }
}
