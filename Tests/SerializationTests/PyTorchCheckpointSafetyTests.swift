import Foundation
import Serialization
import Tensor
import Testing

/// Hand-assembled pickles and legacy checkpoints, opcode by opcode (names as in
/// `pickletools`), for inputs no honest pickler writes.
enum PickleAssembler {
    static let proto2: [UInt8] = [0x80, 0x02]
    static let stop: [UInt8] = [0x2E]
    static let mark: [UInt8] = [0x28]
    static let none: [UInt8] = [0x4E]
    static let emptyTuple: [UInt8] = [0x29]
    static let reduce: [UInt8] = [0x52]
    static let setItem: [UInt8] = [0x73]

    /// The three pickles that open a legacy file: magic number, 1001, system info `{}`.
    static let legacyHeader: [UInt8] = proto2 + [0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19] + stop
        + proto2 + [0x4D, 0xE9, 0x03] + stop + proto2 + [0x7D] + stop

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    /// GLOBAL: `module\nname\n`.
    static func global(_ module: String, _ name: String) -> [UInt8] { [0x63] + Array("\(module)\n\(name)\n".utf8) }
    /// BINUNICODE.
    static func string(_ text: String) -> [UInt8] { [0x58] + littleEndian(UInt32(text.utf8.count)) + Array(text.utf8) }
    /// SHORT_BINUNICODE, SHORT_BINUNICODE, STACK_GLOBAL (protocol 4).
    static func stackGlobal(_ module: String, _ name: String) -> [UInt8] {
        [0x8C, UInt8(module.utf8.count)] + Array(module.utf8) + [0x8C, UInt8(name.utf8.count)] + Array(name.utf8) + [0x93]
    }
    /// LONG1 with 8 bytes: any Int64.
    static func int(_ value: Int) -> [UInt8] { [0x8A, 8] + littleEndian(Int64(value)) }
    /// MARK items TUPLE.
    static func tuple(_ items: [[UInt8]]) -> [UInt8] { mark + items.flatMap { $0 } + [0x74] }
    /// `collections.OrderedDict()`.
    static let orderedDict: [UInt8] = global("collections", "OrderedDict") + emptyTuple + reduce

    /// `_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())`.
    static func tensor(key: String, type: String = "FloatStorage", numel: Int, offset: Int, shape: [Int], strides: [Int]) -> [UInt8] {
        let id = tuple([string("storage"), global("torch", type), string(key), string("cpu"), int(numel), none])
        let arguments = tuple([id + [0x51], int(offset), tuple(shape.map(int)), tuple(strides.map(int)), [0x89], orderedDict])
        return global("torch._utils", "_rebuild_tensor_v2") + arguments + reduce
    }

    /// A protocol-2 pickle of an `OrderedDict` of `entries` (name, pickled value).
    static func stateDict(_ entries: [(String, [UInt8])]) -> [UInt8] {
        proto2 + orderedDict + entries.flatMap { string($0.0) + $0.1 + setItem } + stop
    }

    /// A legacy checkpoint: header, `main` pickle, the key list, then each storage's
    /// declared element count and bytes.
    static func legacy(_ main: [UInt8], storages: [(key: String, count: Int, bytes: [UInt8])] = []) -> [UInt8] {
        let keys = proto2 + [0x5D] + mark + storages.flatMap { string($0.key) } + [0x65] + stop
        return legacyHeader + main + keys + storages.flatMap { littleEndian(Int64($0.count)) + $0.bytes }
    }

    static func floats(_ values: [Float]) -> [UInt8] { values.flatMap { littleEndian($0.bitPattern) } }
}

/// Hostile checkpoints: code-running globals, unknown opcodes, broken pickles, tensors
/// pointing outside their storage. Each must throw the typed error that names the problem.
@Suite("PyTorch checkpoints: hostile input")
struct PyTorchCheckpointSafetyTests {
    /// The file a successful attack would create.
    static let marker = "/tmp/fathom_pth_fixture_pwned"

    static let storage = (key: "0", count: 6, bytes: PickleAssembler.floats([1, 2, 3, 4, 5, 6]))

    /// A legacy file of one tensor named "t" over the six-float storage above.
    static func oneTensor(numel: Int = 6, offset: Int = 0, shape: [Int], strides: [Int]) -> [UInt8] {
        PickleAssembler.legacy(PickleAssembler.stateDict([
            ("t", PickleAssembler.tensor(key: "0", numel: numel, offset: offset, shape: shape, strides: strides)),
        ]), storages: [storage])
    }

    /// The assembler itself is right: a valid file decodes to the expected tensor.
    @Test func assembledCheckpointDecodes() throws {
        let checkpoint = try PyTorchCheckpoint.decode(Self.oneTensor(offset: 1, shape: [2, 2], strides: [1, 2]))
        #expect(checkpoint.format == .legacy)
        #expect(checkpoint.names == ["t"])
        #expect(checkpoint["t"]?.shape == [2, 2])
        #expect(checkpoint["t"]?.scalars == [2, 4, 3, 5])
    }

    static let dangerousGlobals: [(String, String)] = [
        ("os", "system"), ("posix", "system"), ("builtins", "eval"), ("builtins", "exec"),
        ("subprocess", "Popen"), ("__builtin__", "getattr"), ("torch", "load"), ("numpy.core.multiarray", "_reconstruct"),
    ]

    @Test(arguments: dangerousGlobals)
    func refusesGlobal(module: String, name: String) throws {
        try? FileManager.default.removeItem(atPath: Self.marker)
        let expected = PyTorchCheckpointError.forbiddenGlobal(file: "<memory>", module: module, name: name)
        let command = PickleAssembler.string("touch \(Self.marker)") + [0x85] + PickleAssembler.reduce
        let attacks: [[UInt8]] = [
            // A bare pickle, as an attacker would name it model.pth.
            PickleAssembler.proto2 + PickleAssembler.global(module, name) + command + PickleAssembler.stop,
            // Protocol 4 spelling, inside a legacy checkpoint.
            PickleAssembler.legacy([0x80, 0x04] + PickleAssembler.stackGlobal(module, name) + command + PickleAssembler.stop),
            // Hidden in a state dict after a valid tensor.
            PickleAssembler.legacy(PickleAssembler.stateDict([
                ("ok", PickleAssembler.tensor(key: "0", numel: 6, offset: 0, shape: [6], strides: [1])),
                ("evil", PickleAssembler.global(module, name) + command),
            ]), storages: [Self.storage]),
        ]
        for attack in attacks {
            #expect(throws: expected) { try PyTorchCheckpoint.read(bytes: attack) }
        }
        #expect(String(describing: expected).contains("'\(module).\(name)'"))
        #expect(!FileManager.default.fileExists(atPath: Self.marker), "the command ran")
    }

    /// Written by Python's own pickler from a real `os.system` (module `posix` on Linux).
    @Test func refusesMaliciousZipCheckpoint() throws {
        try? FileManager.default.removeItem(atPath: Self.marker)
        let url = try PyTorchFixtures.url("malicious_posix_system.pth")
        #expect(throws: PyTorchCheckpointError.forbiddenGlobal(file: url.path + ":archive/data.pkl", module: "posix", name: "system")) {
            try PyTorchCheckpoint.read(from: url)
        }
        #expect(!FileManager.default.fileExists(atPath: Self.marker), "the command ran")
    }

    /// INST, OBJ, EXT1, GET, INT, NEXT_BUFFER, and a byte that is no opcode at all.
    @Test(arguments: [UInt8(0x69), 0x6F, 0x82, 0x67, 0x49, 0x97, 0xFF])
    func refusesUnsupportedOpcode(opcode: UInt8) {
        let bytes = PickleAssembler.legacy(PickleAssembler.proto2 + [opcode, 0x30, 0x0A, 0x30, 0x0A] + PickleAssembler.stop)
        let offset = PickleAssembler.legacyHeader.count + 2
        #expect(throws: PyTorchCheckpointError.unsupportedOpcode(file: "<memory>", opcode: opcode, offset: offset)) {
            try PyTorchCheckpoint.read(bytes: bytes)
        }
    }

    static let malformedPickles: [(String, [UInt8])] = [
        ("undefined memo index", [0x68, 0x05]),
        ("undefined long memo index", [0x6A, 0xFF, 0xFF, 0xFF, 0xFF]),
        ("empty stack", [0x85]),
        ("pop past MARK", [0x4E, 0x28, 0x85]),
        ("TUPLE without MARK", [0x74]),
        ("APPEND to None", [0x4E, 0x4E, 0x61]),
        ("SETITEM on a list", [0x5D, 0x4E, 0x4E, 0x73]),
        ("odd DICT", [0x28, 0x4E, 0x64]),
        ("REDUCE on a string", PickleAssembler.string("os.system") + PickleAssembler.emptyTuple + PickleAssembler.reduce),
        ("OrderedDict with arguments", PickleAssembler.global("collections", "OrderedDict") + [0x4E, 0x85, 0x52]),
        ("bad persistent id", [0x4E, 0x51]),
        ("storage type called", PickleAssembler.global("torch", "FloatStorage") + PickleAssembler.emptyTuple + PickleAssembler.reduce),
        ("BUILD on an int", [0x4B, 0x01, 0x4E, 0x62]),
        ("MARKs too deep", [UInt8](repeating: 0x28, count: 101)),
        ("tuples too deep", PickleAssembler.emptyTuple + [UInt8](repeating: 0x85, count: 100)),
        ("negative BINSTRING length", [0x54, 0xFF, 0xFF, 0xFF, 0xFF]),
        ("tensor with a string size", PickleAssembler.global("torch._utils", "_rebuild_tensor") + PickleAssembler.tuple([
            PickleAssembler.tuple([PickleAssembler.string("storage"), PickleAssembler.global("torch", "FloatStorage"),
                                   PickleAssembler.string("0"), PickleAssembler.string("cpu"), PickleAssembler.int(6)]) + [0x51],
            PickleAssembler.int(0), PickleAssembler.string("6"), PickleAssembler.tuple([PickleAssembler.int(1)]),
        ]) + PickleAssembler.reduce),
        ("negative storage size", PickleAssembler.tuple([PickleAssembler.string("storage"), PickleAssembler.global("torch", "FloatStorage"),
                                                         PickleAssembler.string("0"), PickleAssembler.string("cpu"), PickleAssembler.int(-1)]) + [0x51]),
    ]

    @Test(arguments: malformedPickles.indices)
    func refusesMalformedPickle(index: Int) {
        let (what, body) = Self.malformedPickles[index]
        let bytes = PickleAssembler.legacy(PickleAssembler.proto2 + body + PickleAssembler.stop)
        let error = #expect(throws: PyTorchCheckpointError.self, "\(what)") { try PyTorchCheckpoint.read(bytes: bytes) }
        guard case let .malformedPickle(file, offset, _)? = error else { Issue.record("\(what): \(String(describing: error))"); return }
        #expect(file == "<memory>" && offset > PickleAssembler.legacyHeader.count && offset < bytes.count, "\(what)")
    }

    @Test func refusesUnknownProtocolsAndTypes() {
        #expect(throws: SerializationError.unsupportedVersion(file: "<memory>", version: "pickle protocol 6")) {
            try PyTorchCheckpoint.read(bytes: PickleAssembler.legacy([0x80, 0x06, 0x4E, 0x2E]))
        }
        #expect(throws: SerializationError.unsupportedVersion(file: "<memory>", version: "legacy protocol 1000")) {
            try PyTorchCheckpoint.read(bytes: Array(PickleAssembler.legacyHeader.prefix(15)) + [0x80, 0x02, 0x4D, 0xE8, 0x03, 0x2E])
        }
        #expect(throws: SerializationError.unsupportedDType(file: "<memory>", dtype: "torch.ComplexFloatStorage")) {
            try PyTorchCheckpoint.read(bytes: PickleAssembler.legacy(PickleAssembler.stateDict([
                ("t", PickleAssembler.tensor(key: "0", type: "ComplexFloatStorage", numel: 3, offset: 0, shape: [3], strides: [1])),
            ])))
        }
        // A pickle that never reaches STOP.
        #expect(throws: SerializationError.truncated(file: "<memory>", expected: PickleAssembler.legacyHeader.count + 4, actual: PickleAssembler.legacyHeader.count + 3)) {
            try PyTorchCheckpoint.read(bytes: PickleAssembler.legacyHeader + PickleAssembler.proto2 + PickleAssembler.none)
        }
    }

    /// `offset + Σ (size − 1) · stride` must index the storage; sizes and strides must make sense.
    @Test func tensorsMustFitTheirStorage() throws {
        func decode(_ bytes: [UInt8]) throws { _ = try PyTorchCheckpoint.decode(bytes) }
        func outOfBounds(_ begin: Int, _ end: Int) -> SerializationError {
            .offsetOutOfBounds(file: "<memory>", name: "t", begin: begin, end: end, bufferSize: 24)
        }
        #expect(throws: outOfBounds(20, 28)) { try decode(Self.oneTensor(offset: 5, shape: [2], strides: [1])) }
        #expect(throws: outOfBounds(4, 28)) { try decode(Self.oneTensor(offset: 1, shape: [2, 3], strides: [3, 1])) }
        #expect(throws: outOfBounds(-4, Int.max)) { try decode(Self.oneTensor(offset: -1, shape: [1], strides: [1])) }
        #expect(throws: outOfBounds(0, Int.max)) { try decode(Self.oneTensor(shape: [2], strides: [Int.max])) }
        #expect(throws: SerializationError.invalidShape(file: "<memory>", name: "t", shape: [-1])) {
            try decode(Self.oneTensor(shape: [-1], strides: [1]))
        }
        #expect(throws: SerializationError.invalidShape(file: "<memory>", name: "t", shape: [1 << 62, 4])) {
            try decode(Self.oneTensor(shape: [1 << 62, 4], strides: [0, 0]))
        }
        Self.expectMalformedHeader(mentioning: "stride") { try decode(Self.oneTensor(shape: [2], strides: [-1])) }
        Self.expectMalformedHeader(mentioning: "stride") { try decode(Self.oneTensor(shape: [2, 3], strides: [1])) }
        // Stride 0 is legal, but a petabyte of broadcast from a few bytes is not.
        Self.expectMalformedHeader(mentioning: "exceed") { try decode(Self.oneTensor(shape: [1 << 40], strides: [0])) }
        #expect(try PyTorchCheckpoint.decode(Self.oneTensor(offset: 5, shape: [4], strides: [0]))["t"]?.scalars == [6, 6, 6, 6])
        #expect(try PyTorchCheckpoint.decode(Self.oneTensor(shape: [0, 1_000_000], strides: [1 << 40, 1]))["t"]?.shape == [0, 1_000_000])

        // The storage data must match the declared element count, and every key must be used.
        let main = PickleAssembler.stateDict([("t", PickleAssembler.tensor(key: "0", numel: 6, offset: 0, shape: [6], strides: [1]))])
        #expect(throws: SerializationError.sizeMismatch(file: "<memory>", name: "storage 0", expected: 24, actual: 20)) {
            try decode(PickleAssembler.legacy(main, storages: [(key: "0", count: 5, bytes: PickleAssembler.floats([1, 2, 3, 4, 5]))]))
        }
        #expect(throws: SerializationError.truncated(file: "<memory>", expected: PickleAssembler.legacy(main, storages: [Self.storage]).count,
                                                     actual: PickleAssembler.legacy(main, storages: [Self.storage]).count - 1)) {
            try decode(PickleAssembler.legacy(main, storages: [(key: "0", count: 6, bytes: PickleAssembler.floats([1, 2, 3, 4, 5]) + [0, 0, 0])]))
        }
        Self.expectMalformedHeader(mentioning: "no data") { try decode(PickleAssembler.legacy(main)) }
        Self.expectMalformedHeader(mentioning: "never used") { try decode(PickleAssembler.legacy(main, storages: [Self.storage, (key: "x", count: 0, bytes: [])])) }
        Self.expectMalformedHeader(mentioning: "twice") { try decode(PickleAssembler.legacy(main, storages: [Self.storage, Self.storage])) }
        // One storage key, two element types.
        let conflicting = PickleAssembler.stateDict([
            ("a", PickleAssembler.tensor(key: "0", numel: 6, offset: 0, shape: [6], strides: [1])),
            ("b", PickleAssembler.tensor(key: "0", type: "IntStorage", numel: 6, offset: 0, shape: [6], strides: [1])),
        ])
        let conflict = #expect(throws: PyTorchCheckpointError.self) { try decode(PickleAssembler.legacy(conflicting, storages: [Self.storage])) }
        #expect(conflict.map { String(describing: $0).contains("declared as 6 float32 and as 6 int32") } == true)
        // "a.b" twice: once flat, once nested.
        let tensor = PickleAssembler.tensor(key: "0", numel: 6, offset: 0, shape: [6], strides: [1])
        let clash = PickleAssembler.stateDict([("a.b", tensor), ("a", [0x7D] + PickleAssembler.string("b") + tensor + PickleAssembler.setItem)])
        Self.expectMalformedHeader(mentioning: "two tensors") { try decode(PickleAssembler.legacy(clash, storages: [Self.storage])) }
    }

    /// A list containing itself, a chain of tuples each holding the previous one twice
    /// (2⁶⁰ paths), and dicts nesting a 60 KB memoized key 90 deep (5 MB names): each must
    /// end in an error, not a hang, a stack overflow or an exhausted memory.
    @Test func cyclesAndSharingAreBounded() {
        let cycle = PickleAssembler.proto2 + [0x5D, 0x71, 0x00, 0x68, 0x00, 0x61] + PickleAssembler.stop
        Self.expectMalformedHeader(mentioning: "nest deeper") { _ = try PyTorchCheckpoint.read(bytes: PickleAssembler.legacy(cycle)) }

        var chain = PickleAssembler.proto2 + PickleAssembler.tensor(key: "0", numel: 6, offset: 0, shape: [6], strides: [1]) + [0x71, 0x00]
        for level in 0..<60 { chain += [0x68, UInt8(level), 0x68, UInt8(level), 0x86, 0x71, UInt8(level + 1)] }
        chain += PickleAssembler.stop
        Self.expectMalformedHeader(mentioning: "too often") { _ = try PyTorchCheckpoint.read(bytes: PickleAssembler.legacy(chain, storages: [Self.storage])) }

        var names = PickleAssembler.proto2 + PickleAssembler.string(String(repeating: "k", count: 60_000)) + [0x71, 0x00]
            + PickleAssembler.tensor(key: "0", numel: 6, offset: 0, shape: [6], strides: [1]) + [0x71, 0x01]
        for level in 1...90 {
            names += [0x7D, 0x28, 0x68, 0x00, 0x68, UInt8(level)] + PickleAssembler.string("a") + [0x68, UInt8(level), 0x75, 0x71, UInt8(level + 1)]
        }
        names += PickleAssembler.stop
        Self.expectMalformedHeader(mentioning: "too often") { _ = try PyTorchCheckpoint.read(bytes: PickleAssembler.legacy(names, storages: [Self.storage])) }
    }

    /// Expects `body` to throw `SerializationError.malformedHeader` whose reason contains `text`.
    static func expectMalformedHeader(mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation,
                                      _ body: () throws -> Void) {
        let error = #expect(throws: SerializationError.self, sourceLocation: sourceLocation, performing: body)
        guard case let .malformedHeader(file, reason)? = error else {
            Issue.record("expected a malformed header mentioning '\(text)', got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(file == "<memory>" && reason.contains(text), "\(reason)", sourceLocation: sourceLocation)
    }
}
