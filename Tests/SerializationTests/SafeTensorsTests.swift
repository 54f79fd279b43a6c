import Foundation
import Serialization
import Tensor
import Testing

/// Hand-made safetensors files for the reader tests.
enum SafeTensorsFixtures {
    /// A file with the given JSON header (unpadded) and data buffer.
    static func file(header: String, data: [UInt8] = []) -> [UInt8] {
        let json = Array(header.utf8)
        return withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) } + json + data
    }

    /// A small Fathom-written file: three tensors and metadata.
    static var small: [UInt8] {
        get throws {
            try SafeTensors.encode(["w": Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]),
                                    "b": Tensor(shape: [2], scalars: [-1, 0.5]),
                                    "s": Tensor(7)],
                                   metadata: ["format": "pt"])
        }
    }
}

@Suite("SafeTensors")
struct SafeTensorsTests {
    @Test func followsTheFileLayout() throws {
        let b = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let bytes = try SafeTensors.encode(["b": b, "a": Tensor(9), "c": Tensor(shape: [0, 2], scalars: [])],
                                           metadata: ["format": "pt"])
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect((8 + headerLength) % 8 == 0)
        #expect(bytes.count == 8 + headerLength + 28)
        let header = try #require(JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as? [String: Any])
        #expect(Set(header.keys) == ["__metadata__", "a", "b", "c"])
        #expect(header["__metadata__"] as? [String: String] == ["format": "pt"])
        // Sorted by name: a, b, c.
        for (name, shape, offsets) in [("a", [Int](), [0, 4]), ("b", [2, 3], [4, 28]), ("c", [0, 2], [28, 28])] {
            let entry = try #require(header[name] as? [String: Any])
            #expect(entry["dtype"] as? String == "F32")
            #expect(entry["shape"] as? [Int] == shape)
            #expect(entry["data_offsets"] as? [Int] == offsets)
        }
        let data = Array(bytes[(8 + headerLength + 4)...])
        #expect(data == b.scalars.withUnsafeBytes { Array($0) })
    }

    @Test func roundTripsBitExactlyThroughAFile() throws {
        let patterns: [UInt32] = [0x7FC0_0001, 0xFFBF_FFFF, 0x8000_0000, 0xFF80_0000, 0x0000_0001, 0x4049_0FDB]
        let tensors = [
            "features.0.weight": Tensor(shape: [3, 2], scalars: patterns.map(Float.init(bitPattern:))),
            "features.0.bias": Tensor(shape: [1], scalars: [-0.0]),
            "scalar": Tensor(2.5),
            "empty": Tensor(shape: [4, 0], scalars: []),
        ]
        let metadata = ["epoch": "3", "note": "quote \" backslash \\ newline \n tab \t bell \u{7} ünïcode 🫁"]
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        try SafeTensors.write(tensors, metadata: metadata, to: url)

        let file = try SafeTensors.read(from: url)
        #expect(file.names == ["empty", "features.0.bias", "features.0.weight", "scalar"])
        #expect(file.metadata == metadata)
        for (name, tensor) in tensors {
            let read = try #require(file[name])
            #expect(read.shape == tensor.shape)
            #expect(read.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name)")
            #expect(file.dtypes[name] == .float32)
        }
    }

    @Test func writesAtomicallyOverAnExistingFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("ckpt.safetensors")
        try SafeTensors.write(["x": Tensor([1, 2])], to: url)
        try SafeTensors.write(["x": Tensor([3, 4, 5])], to: url)
        #expect(try SafeTensors.read(from: url)["x"]?.scalars == [3, 4, 5])
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["ckpt.safetensors"])
        #expect(throws: SerializationError.self) {
            try SafeTensors.write(["x": Tensor([1])], to: directory.appendingPathComponent("missing/dir.safetensors"))
        }
    }

    @Test func refusesTheReservedName() {
        #expect(throws: SerializationError.invalidName(name: "__metadata__", reason: "reserved by the safetensors format")) {
            try SafeTensors.encode(["__metadata__": Tensor(1)])
        }
    }

    @Test func readsEveryDTypeAsFloat() throws {
        func bytes<T>(_ values: [T]) -> [UInt8] { values.withUnsafeBytes { Array($0) } }
        let entries: [(name: String, dtype: String, values: [Float], data: [UInt8])] = [
            ("f16", "F16", [1, -2.5, 0x1p-24], bytes([UInt16(0x3C00), 0xC100, 0x0001])),
            ("bf16", "BF16", [1, -2.5, -.infinity], bytes([UInt16(0x3F80), 0xC020, 0xFF80])),
            ("f64", "F64", [1.5, -2.25, 1e-3], bytes([1.5, -2.25, 1e-3])),
            ("i64", "I64", [-3, 0x1p40, 0], bytes([Int64(-3), 1 << 40, 0])),
            ("i32", "I32", [7, -8, 0x1p31], bytes([Int32(7), -8, Int32.max])),
            ("u8", "U8", [0, 255, 128], [0, 255, 128]),
            ("bool", "BOOL", [1, 0, 1], [1, 0, 1]),
            ("i8", "I8", [-128, 127, 0], bytes([Int8(-128), 127, 0])),
            ("i16", "I16", [-300, 300, 0], bytes([Int16(-300), 300, 0])),
            ("u16", "U16", [65535, 1, 0], bytes([UInt16(65535), 1, 0])),
        ]
        var header: [String] = []
        var data: [UInt8] = []
        for entry in entries {
            header.append("\"\(entry.name)\":{\"dtype\":\"\(entry.dtype)\",\"shape\":[3],\"data_offsets\":[\(data.count),\(data.count + entry.data.count)]}")
            data += entry.data
        }
        let file = try SafeTensors.decode(SafeTensorsFixtures.file(header: "{" + header.joined(separator: ",") + "}", data: data))
        #expect(file.names == entries.map(\.name))
        for entry in entries {
            #expect(file[entry.name]?.scalars == entry.values, "\(entry.dtype)")
            #expect(file.dtypes[entry.name]?.safeTensorsName == entry.dtype)
        }
    }

    @Test func rejectsBadHeadersWithTypedErrors() throws {
        func error(_ header: String, data: [UInt8] = [UInt8](repeating: 0, count: 16)) -> SerializationError? {
            do { _ = try SafeTensors.decode(SafeTensorsFixtures.file(header: header, data: data), file: "bad.safetensors"); return nil }
            catch { return error as? SerializationError }
        }
        func entry(_ dtype: String = "F32", shape: String = "[2]", offsets: String = "[0,8]") -> String {
            "{\"t\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}}"
        }
        let file = "bad.safetensors"
        #expect(error(entry()) == nil)
        #expect(error(entry("F8_E4M3")) == .unsupportedDType(file: file, dtype: "F8_E4M3"))
        #expect(error(entry(offsets: "[8,24]")) == .offsetOutOfBounds(file: file, name: "t", begin: 8, end: 24, bufferSize: 16))
        #expect(error(entry(offsets: "[8,4]")) == .offsetOutOfBounds(file: file, name: "t", begin: 8, end: 4, bufferSize: 16))
        #expect(error(entry(offsets: "[0,12]")) == .sizeMismatch(file: file, name: "t", expected: 8, actual: 12))
        #expect(error(entry(shape: "[-2]")) == .invalidShape(file: file, name: "t", shape: [-2]))
        #expect(error(entry(shape: "[4611686018427387904,4]")) == .invalidShape(file: file, name: "t", shape: [1 << 62, 4]))
        for malformed in [entry(shape: "[2.5]"), entry(shape: "\"2\""), entry(offsets: "[0]"), entry(offsets: "[0,1e30]"),
                          "[1]", "{\"t\":3}", "{\"__metadata__\":{\"k\":1}}", "{\"t\":{\"shape\":[1]}}", "{not json}",
                          String(repeating: "{\"a\":", count: 50) + "1" + String(repeating: "}", count: 50)] {
            #expect(error(malformed).map { "\($0)" }?.contains("malformed header") == true, "\(malformed)")
        }
        #expect(error("{\"__metadata__\":null}") == nil)
        #expect(throws: SerializationError.truncated(file: "<memory>", expected: 8, actual: 3)) { try SafeTensors.decode([1, 0, 0]) }
        #expect(throws: SerializationError.truncated(file: "<memory>", expected: 108, actual: 10)) {
            try SafeTensors.decode([100, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D])
        }
        #expect(throws: SerializationError.self) { try SafeTensors.decode([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7B]) }
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-st-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
