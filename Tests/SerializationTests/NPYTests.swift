import Foundation
import Serialization
import Tensor
import Testing

/// `.npy` files written by NumPy 2.4 (`np.save`, or `np.lib.format.write_array` for explicit
/// versions), embedded as base64 so the tests need no Python. The generating expressions:
enum NPYFixtures {
    /// `np.array([[1.5, -2.25, 3.0], [0.0, -0.0, 1e300]], dtype='<f8')`
    static let float64 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAALAAAAAAAAACEAAAAAAAAAAAAAAAAAAAACAnHUAiDzkN34="
    /// `np.array([0, 1, 127, 255], dtype='u1')`
    static let uint8 = "k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAX//"
    /// `np.array([-1, 2**40, -2**62, 7], dtype='<i8')`
    static let int64 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr//////////wAAAAAAAQAAAAAAAAAAAMAHAAAAAAAAAA=="
    /// `np.array([True, False, True, True, False])`
    static let bool = "k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDUsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAEBAA=="
    /// `np.asfortranarray(np.arange(12, dtype='<f4').reshape(2, 3, 2))`
    static let fortran = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMywgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADAQAAAAEAAAABBAACAQAAAIEEAAIA/AADgQAAAQEAAABBBAACgQAAAMEE="
    /// `np.array([[1, 2], [3, 4]], dtype='<i4')`, format version 2.0
    static let version2 = "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8aTQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAAAgAAAAMAAAAEAAAA"
    /// `np.array([0.5, 0.25], dtype='<f4')`, format version 3.0
    static let version3 = "k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAA/AACAPg=="
    /// `np.array([1.0, -2.5, 65504, 6e-8, np.inf], dtype='<f2')`
    static let float16 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDUsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAPADB/3sBAAB8"
    /// `np.array([-32768, 32767], dtype='<i2')`
    static let int16 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGkyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAgP9/"
    /// `np.array([0, 65535], dtype='<u2')`
    static let uint16 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPHUyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAP//"
    /// `np.array([1, -2, 300], dtype='>i4')` (big-endian)
    static let bigEndian = "k05VTVBZAQB2AHsnZGVzY3InOiAnPmk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAB/////gAAASw="
    /// `np.array(3.5, dtype='<f4')` (rank 0)
    static let scalar = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAGBA"
    /// `np.zeros((0, 3), dtype='<f4')`
    static let empty = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo="

    static func bytes(_ base64: String) -> [UInt8] { [UInt8](Data(base64Encoded: base64)!) }

    /// A hand-made `.npy` file whose header dictionary is `dictionary` (unpadded).
    static func file(dictionary: String, data: [UInt8] = [], version: UInt8 = 1) -> [UInt8] {
        let header = Array((dictionary + "\n").utf8)
        let length = [UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + (version == 1 ? [] : [0, 0])
        return [0x93] + Array("NUMPY".utf8) + [version, 0] + length + header + data
    }
}

@Suite("NPY")
struct NPYTests {
    private func decode(_ base64: String) throws -> NPYArray {
        try NPY.decode(NPYFixtures.bytes(base64), file: "fixture.npy")
    }

    @Test func readsNumPyFloat64() throws {
        let array = try decode(NPYFixtures.float64)
        #expect(array.shape == [2, 3])
        #expect(array.dtype == .float64)
        let values = array.floats()
        #expect(Array(values[0..<4]) == [1.5, -2.25, 3.0, 0.0])
        #expect(values[4] == 0 && values[4].sign == .minus)
        #expect(values[5] == .infinity)  // 1e300 overflows Float32.
        #expect(array.tensor().shape == [2, 3])
        #expect(try array.scalars(as: Double.self) == [1.5, -2.25, 3.0, 0.0, -0.0, 1e300])
    }

    @Test func readsUInt8AndInt64Exactly() throws {
        let pixels = try decode(NPYFixtures.uint8)
        #expect(pixels.dtype == .uint8 && pixels.shape == [4])
        #expect(try pixels.scalars(as: UInt8.self) == [0, 1, 127, 255])
        #expect(try pixels.integers() == [0, 1, 127, 255])
        #expect(pixels.tensor().scalars == [0, 1, 127, 255])

        let labels = try decode(NPYFixtures.int64)
        #expect(labels.dtype == .int64)
        #expect(try labels.integers() == [-1, 1 << 40, -(1 << 62), 7])
        #expect(try labels.scalars(as: Int64.self) == [-1, 1 << 40, -(1 << 62), 7])
    }

    @Test func readsBool() throws {
        let array = try decode(NPYFixtures.bool)
        #expect(array.dtype == .bool && array.shape == [5])
        #expect(try array.integers() == [1, 0, 1, 1, 0])
        #expect(array.floats() == [1, 0, 1, 1, 0])
    }

    @Test func transposesFortranOrderToRowMajor() throws {
        let array = try decode(NPYFixtures.fortran)
        #expect(array.shape == [2, 3, 2])
        #expect(array.floats() == (0..<12).map(Float.init))
    }

    @Test func readsVersions2And3() throws {
        let v2 = try decode(NPYFixtures.version2)
        #expect(v2.dtype == .int32 && v2.shape == [2, 2])
        #expect(try v2.integers() == [1, 2, 3, 4])
        let v3 = try decode(NPYFixtures.version3)
        #expect(v3.floats() == [0.5, 0.25])
    }

    @Test func readsHalfPrecisionAndSixteenBitIntegers() throws {
        let half = try decode(NPYFixtures.float16)
        #expect(half.floats() == [1, -2.5, 65504, 0x1p-24, .infinity])  // 6e-8 rounds to 2⁻²⁴.
        #expect(try decode(NPYFixtures.int16).integers() == [-32768, 32767])
        #expect(try decode(NPYFixtures.uint16).integers() == [0, 65535])
    }

    @Test func swapsBigEndianData() throws {
        let array = try decode(NPYFixtures.bigEndian)
        #expect(array.dtype == .int32)
        #expect(try array.integers() == [1, -2, 300])
        #expect(try NPY.decode(NPY.encode(array)) == array)  // Re-encoded little-endian.
    }

    @Test func readsScalarAndEmptyArrays() throws {
        let scalar = try decode(NPYFixtures.scalar)
        #expect(scalar.shape == [] && scalar.floats() == [3.5])
        #expect(scalar.tensor().scalar == 3.5)
        let empty = try decode(NPYFixtures.empty)
        #expect(empty.shape == [0, 3] && empty.scalarCount == 0)
        #expect(empty.tensor().shape == [0, 3])
    }

    /// Fathom's writer produces NumPy's exact bytes, header padding included.
    @Test(arguments: [NPYFixtures.float64, NPYFixtures.uint8, NPYFixtures.int64, NPYFixtures.bool,
                      NPYFixtures.float16, NPYFixtures.int16, NPYFixtures.uint16, NPYFixtures.scalar, NPYFixtures.empty])
    func writesTheBytesNumPyWrites(fixture: String) throws {
        let original = NPYFixtures.bytes(fixture)
        #expect(try NPY.encode(NPY.decode(original)) == original)
    }

    @Test func roundTripsEveryScalarType() throws {
        func check<T: NPYScalar & Equatable>(_ values: [T], shape: [Int]) throws {
            let array = NPYArray(shape: shape, scalars: values)
            let decoded = try NPY.decode(NPY.encode(array))
            #expect(decoded == array)
            #expect(try decoded.scalars(as: T.self) == values)
        }
        try check([UInt8(0), 200, 255], shape: [3])
        try check([Int8(-128), 0, 127], shape: [3, 1])
        try check([UInt16(0), 65535], shape: [2])
        try check([Int16(-32768), 32767], shape: [1, 2])
        try check([UInt32(0), .max], shape: [2])
        try check([Int32.min, .max], shape: [2])
        try check([UInt64(0), .max], shape: [2])
        try check([Int64.min, -1, .max], shape: [3])
        try check([Float(1.5), -0.0, .infinity], shape: [3])
        try check([Double.pi, -0.0, .leastNonzeroMagnitude], shape: [3])
        try check([Float](), shape: [0, 4])
        try check([Int64(42)], shape: [])
        // Types without an NPYScalar: raw bytes.
        for (dtype, data) in [(SerializedDType.bool, [UInt8]([1, 0, 1])), (.float16, [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x7C])] {
            let array = NPYArray(shape: [3], dtype: dtype, data: data)
            #expect(try NPY.decode(NPY.encode(array)) == array)
        }
    }

    @Test func tensorRoundTripThroughAFileIsBitExact() throws {
        let patterns: [UInt32] = [0x7FC0_0001, 0xFFA0_0000, 0x8000_0000, 0x7F80_0000, 0x0000_0001, 0x3F80_0000]
        let tensor = Tensor(shape: [2, 3], scalars: patterns.map(Float.init(bitPattern:)))
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-npy-\(UUID().uuidString).npy")
        defer { try? FileManager.default.removeItem(at: url) }
        try NPY.write(tensor, to: url)
        let back = try NPY.read(from: url)
        #expect(back.dtype == .float32 && back.shape == [2, 3])
        #expect(back.tensor().scalars.map(\.bitPattern) == patterns)
    }

    @Test func writesVersion1HeaderAlignedTo64Bytes() throws {
        let bytes = try NPY.encode(NPYArray(Tensor(shape: [2, 3], repeating: 1)))
        #expect(Array(bytes[0..<8]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        #expect(bytes.count == 10 + headerLength + 24)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"))
        #expect(header.hasSuffix(" \n"))
    }

    @Test func refusesWhatItCannotRepresent() throws {
        #expect(throws: SerializationError.self) { try NPY.encode(NPYArray(shape: [1], dtype: .bfloat16, data: [0, 0])) }
        #expect(throws: SerializationError.self) { try decode(NPYFixtures.float64).integers() }
        #expect(throws: SerializationError.self) { try decode(NPYFixtures.float64).scalars(as: Float.self) }
        // Floats that hold whole numbers are accepted as integers.
        #expect(try NPYArray(shape: [2], scalars: [Float(3), -7]).integers() == [3, -7])
    }

    @Test func rejectsBadHeadersWithTypedErrors() throws {
        func error(_ bytes: [UInt8]) -> SerializationError? {
            do { _ = try NPY.decode(bytes, file: "bad.npy"); return nil } catch { return error as? SerializationError }
        }
        let f4 = "'descr': '<f4', 'fortran_order': False"
        #expect(error(Array("PK\u{3}\u{4}not npy".utf8)) == .badMagic(file: "bad.npy", format: "NumPy .npy"))
        #expect(error(NPYFixtures.file(dictionary: "{\(f4), 'shape': (1,), }", version: 4)) == .unsupportedVersion(file: "bad.npy", version: "4.0"))
        #expect(error(NPYFixtures.file(dictionary: "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }")) == .unsupportedDType(file: "bad.npy", dtype: "<c8"))
        #expect(error(NPYFixtures.file(dictionary: "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }"))
                == .unsupportedDType(file: "bad.npy", dtype: "structured dtype"))
        #expect(error(NPYFixtures.file(dictionary: "{\(f4), 'shape': (-1,), }")) == .invalidShape(file: "bad.npy", name: "array", shape: [-1]))
        #expect(error(NPYFixtures.file(dictionary: "{\(f4), 'shape': (4611686018427387904, 4), }"))
                == .invalidShape(file: "bad.npy", name: "array", shape: [1 << 62, 4]))
        #expect(error(NPYFixtures.file(dictionary: "{\(f4), 'shape': (99999999999999999999,), }")).map { "\($0)" }?.contains("malformed header") == true)
        let short = NPYFixtures.file(dictionary: "{\(f4), 'shape': (2,), }", data: [0, 0, 0x80, 0x3F])
        #expect(error(short) == .truncated(file: "bad.npy", expected: short.count + 4, actual: short.count))
        #expect(error(NPYFixtures.file(dictionary: "{\(f4)}")).map { "\($0)" }?.contains("missing key 'shape'") == true)
        #expect(error(NPYFixtures.file(dictionary: String(repeating: "(", count: 100))).map { "\($0)" }?.contains("nesting too deep") == true)
        // Python 2 longs and extra whitespace are fine.
        let legacy = try NPY.decode(NPYFixtures.file(dictionary: "{ 'descr':'<f4' ,'fortran_order':False,'shape':(1L,) }", data: [0, 0, 0x80, 0x3F]))
        #expect(legacy.floats() == [1])
    }

    @Test func reportsMissingFilesWithTheirPath() {
        let path = "/nonexistent-fathom-dir/missing.npy"
        #expect(throws: SerializationError.io(path: path, reason: "No such file or directory")) {
            try NPY.read(from: URL(fileURLWithPath: path))
        }
    }
}
