import Foundation
import Serialization
import Tensor
import Testing

/// The fixtures of `Fixtures/pth/`, written by `make_fixtures.py` there (no PyTorch needed).
enum PyTorchFixtures {
    /// The fixture file `name`, failing the calling test if it is missing.
    static func url(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/pth/\(name)")
        try #require(FileManager.default.fileExists(atPath: url.path),
                     "Fixture missing: \(url.path); regenerate with python3 Tests/TensorTests/Fixtures/pth/make_fixtures.py",
                     sourceLocation: sourceLocation)
        return url
    }

    static func bytes(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(name, sourceLocation: sourceLocation)))
    }

    /// Storage "0" of the state-dict fixtures, as make_fixtures.py defines it: (i − 5) / 4.
    static let storage: [Float] = (0..<12).map { Float($0 - 5) / 4 }

    /// The elements of a strided view, row-major: a reference implementation, by recursion.
    static func strided(_ storage: [Float], offset: Int, shape: [Int], strides: [Int]) -> [Float] {
        var result: [Float] = []
        func walk(_ axis: Int, _ position: Int) {
            guard axis < shape.count else { return result.append(storage[position]) }
            for index in 0..<shape[axis] { walk(axis + 1, position + index * strides[axis]) }
        }
        walk(0, offset)
        return result
    }

    /// The views of make_fixtures.py's `state_dict()`: name, offset, size, stride.
    static let views: [(name: String, offset: Int, shape: [Int], strides: [Int])] = [
        ("linear.weight", 1, [3, 2], [1, 4]),
        ("linear.bias", 8, [3], [1]),
        ("conv.weight", 0, [2, 3, 2], [1, 4, 2]),
        ("bn.running_var", 2, [2, 3], [0, 1]),
    ]

    /// Checks the five tensors of `state_dict()`, found under `prefix`.
    static func expectStateDict(_ checkpoint: PyTorchCheckpointFile, prefix: String = "",
                                sourceLocation: SourceLocation = #_sourceLocation) {
        for view in views {
            let tensor = checkpoint[prefix + view.name]
            #expect(tensor?.shape == view.shape, "\(view.name)", sourceLocation: sourceLocation)
            #expect(tensor?.scalars == strided(storage, offset: view.offset, shape: view.shape, strides: view.strides),
                    "\(view.name)", sourceLocation: sourceLocation)
            #expect(checkpoint.dtypes[prefix + view.name] == .float32, sourceLocation: sourceLocation)
        }
        let counter = checkpoint[prefix + "bn.num_batches_tracked"]
        #expect(counter?.shape == [], sourceLocation: sourceLocation)
        #expect(counter?.scalars == [Float(Int64(123_456_789))], sourceLocation: sourceLocation)
        #expect(checkpoint.dtypes[prefix + "bn.num_batches_tracked"] == .int64, sourceLocation: sourceLocation)
    }

    static let stateDictNames = ["linear.weight", "linear.bias", "conv.weight", "bn.running_var", "bn.num_batches_tracked"]
}

@Suite("PyTorch checkpoints: reading")
struct PyTorchCheckpointTests {
    @Test(arguments: zip(["zip_proto2.pth", "zip_proto4.pth", "legacy_proto2.pth"],
                         [PyTorchCheckpointFile.Format.zip, .zip, .legacy]))
    func stateDict(file: String, format: PyTorchCheckpointFile.Format) throws {
        let checkpoint = try PyTorchCheckpoint.load(from: PyTorchFixtures.url(file))
        #expect(checkpoint.format == format)
        #expect(checkpoint.names == PyTorchFixtures.stateDictNames)
        #expect(checkpoint.tensors.count == 5)
        PyTorchFixtures.expectStateDict(checkpoint)

        // The plain-dictionary entry points agree with the detailed one.
        let fromURL = try PyTorchCheckpoint.read(from: PyTorchFixtures.url(file))
        let fromBytes = try PyTorchCheckpoint.read(bytes: PyTorchFixtures.bytes(file))
        #expect(Set(fromURL.keys) == Set(PyTorchFixtures.stateDictNames))
        for name in PyTorchFixtures.stateDictNames {
            #expect(fromURL[name]?.scalars == checkpoint[name]?.scalars)
            #expect(fromBytes[name]?.scalars == checkpoint[name]?.scalars)
        }
    }

    @Test func everyStorageTypeConvertsToFloat() throws {
        let checkpoint = try PyTorchCheckpoint.load(from: PyTorchFixtures.url("dtypes.pth"))
        let expected: [(String, SerializedDType, [Float])] = [
            ("f64", .float64, [1.5, -2.25, Float(1e-3 as Double)]),
            ("f16", .float16, [0.5, -1, 65504]),
            ("bf16", .bfloat16, [1, -2.5, 0.15625]),
            ("i64", .int64, [-3, Float(Int64(1) << 40), 7]),
            ("i32", .int32, [-7, 0, Float(Int32.max)]),
            ("i16", .int16, [-32768, 5, 32767]),
            ("i8", .int8, [-128, 0, 127]),
            ("u8", .uint8, [0, 200, 255]),
            ("bool", .bool, [1, 0, 1]),
        ]
        #expect(checkpoint.names == expected.map(\.0))
        for (name, dtype, values) in expected {
            #expect(checkpoint.dtypes[name] == dtype, "\(name)")
            #expect(checkpoint[name]?.shape == [3], "\(name)")
            #expect(checkpoint[name]?.scalars == values, "\(name)")
        }
    }

    /// `{"epoch": 7, "arch": "tiny", "state_dict": {...}, "optimizer": {"state": {0: {...}},
    /// "param_groups": [...]}, "history": [bias, None]}`: dotted names, integer keys and list
    /// indices, plain data skipped, a tensor shared through the memo appearing twice.
    @Test(arguments: ["nested_proto4.pth", "nested_legacy.pth"])
    func nestedCheckpointFlattensToDottedNames(file: String) throws {
        let checkpoint = try PyTorchCheckpoint.load(from: PyTorchFixtures.url(file))
        #expect(checkpoint.names == PyTorchFixtures.stateDictNames.map { "state_dict." + $0 }
                + ["optimizer.state.0.momentum_buffer", "history.0"])
        PyTorchFixtures.expectStateDict(checkpoint, prefix: "state_dict.")
        #expect(checkpoint["optimizer.state.0.momentum_buffer"]?.scalars == [0.5, -0.5])
        #expect(checkpoint["history.0"]?.scalars == checkpoint["state_dict.linear.bias"]?.scalars)
        #expect(checkpoint["history.0"]?.scalars == [0.75, 1, 1.25])
    }

    @Test func convertWritesSafeTensorsWithoutDroppedNames() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-pth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try PyTorchFixtures.url("legacy_proto2.pth")
        let checkpoint = try PyTorchCheckpoint.load(from: source)

        let destination = directory.appendingPathComponent("model.safetensors")
        let written = try PyTorchCheckpoint.convert(from: source, to: destination, metadata: ["format": "pt"])
        #expect(written == ["linear.weight", "linear.bias", "conv.weight", "bn.running_var"])
        let converted = try SafeTensors.read(from: destination)
        #expect(Set(converted.names) == Set(written))
        #expect(converted.metadata == ["format": "pt"])
        for name in written {
            #expect(converted[name]?.shape == checkpoint[name]?.shape, "\(name)")
            #expect(converted[name]?.scalars.map(\.bitPattern) == checkpoint[name]?.scalars.map(\.bitPattern), "\(name)")
        }

        // Full names drop too, and nothing is dropped on request.
        let other = directory.appendingPathComponent("other.safetensors")
        #expect(try PyTorchCheckpoint.convert(from: source, to: other, dropping: ["linear.bias", "conv.weight"])
                == ["linear.weight", "bn.running_var", "bn.num_batches_tracked"])
        #expect(try PyTorchCheckpoint.convert(from: source, to: other, dropping: []) == PyTorchFixtures.stateDictNames)
        #expect(try SafeTensors.read(from: other)["bn.num_batches_tracked"]?.scalars == [Float(Int64(123_456_789))])
    }

    /// Zip checkpoints with a missing or short storage, a big-endian byte order, an unknown
    /// record version.
    @Test func brokenZipCheckpointsNameTheProblem() throws {
        func read(_ name: String) throws -> (URL, () throws -> Void) {
            let url = try PyTorchFixtures.url(name)
            return (url, { _ = try PyTorchCheckpoint.read(from: url) })
        }
        var (url, body) = try read("broken_missing_storage.pth")
        #expect(throws: SerializationError.memberNotFound(file: url.path, member: "archive/data/1"), performing: body)
        (url, body) = try read("broken_short_storage.pth")
        #expect(throws: SerializationError.sizeMismatch(file: url.path, name: "archive/data/0", expected: 48, actual: 47), performing: body)
        (url, body) = try read("broken_big_endian.pth")
        #expect(throws: SerializationError.unsupportedVersion(file: url.path, version: "byteorder 'big'"), performing: body)
        (url, body) = try read("broken_version.pth")
        #expect(throws: SerializationError.unsupportedVersion(file: url.path, version: "zip record version '99'"), performing: body)
    }

    @Test func notACheckpoint() throws {
        #expect(throws: SerializationError.badMagic(file: "<memory>", format: "PyTorch checkpoint (zip or legacy)")) {
            try PyTorchCheckpoint.read(bytes: Array("hello, world".utf8))
        }
        #expect(throws: SerializationError.truncated(file: "<memory>", expected: 4, actual: 0)) {
            try PyTorchCheckpoint.read(bytes: [])
        }
        #expect(throws: SerializationError.truncated(file: "<memory>", expected: 4, actual: 3)) {
            try PyTorchCheckpoint.read(bytes: [0x50, 0x4B, 0x03])
        }
        // Another zip record first (an empty archive): not torch.save's.
        #expect(throws: SerializationError.badMagic(file: "<memory>", format: "PyTorch checkpoint (zip or legacy)")) {
            try PyTorchCheckpoint.read(bytes: [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18))
        }
        // A pickle that is not torch.save's: its first object is not the magic number.
        #expect(throws: SerializationError.badMagic(file: "<memory>", format: "PyTorch checkpoint (zip or legacy)")) {
            try PyTorchCheckpoint.read(bytes: [0x80, 0x02, 0x4B, 0x07, 0x2E])
        }
        let missing = URL(fileURLWithPath: "/nonexistent/fathom/model.pth")
        let error = #expect(throws: SerializationError.self) { try PyTorchCheckpoint.read(from: missing) }
        guard case let .io(path, _)? = error else { Issue.record("expected an I/O error, got \(String(describing: error))"); return }
        #expect(path == missing.path)
    }
}
