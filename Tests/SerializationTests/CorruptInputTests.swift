import FathomTestSupport
import Foundation
import Serialization
import Tensor
import Testing

/// Readers of outside bytes must never crash: every truncation and hundreds of seeded byte
/// corruptions of small NPY, NPZ and safetensors files either throw a `SerializationError`
/// or decode to something self-consistent.
@Suite("Corrupt input")
struct CorruptInputTests {
    /// Bytes that steer parsers into interesting paths: digits, signs, brackets, quotes,
    /// separators and extreme values.
    static let interestingBytes = Array("0123456789-+[]{}()\",:'eE.L ".utf8) + [0x00, 0x01, 0x7F, 0x80, 0xFF]

    static func mutations(of bytes: [UInt8], count: Int, seed: UInt64) -> [[UInt8]] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            var mutated = bytes
            for _ in 0...random.next(below: 3) {
                let position = random.next(below: mutated.count)
                mutated[position] = random.next(below: 2) == 0
                    ? UInt8(truncatingIfNeeded: random.next())
                    : interestingBytes[random.next(below: interestingBytes.count)]
            }
            return mutated
        }
    }

    static func corruptions(of bytes: [UInt8], seed: UInt64) -> [[UInt8]] {
        (0..<bytes.count).map { Array(bytes.prefix($0)) } + mutations(of: bytes, count: 300, seed: seed)
    }

    /// Runs `decode`, failing the test on an error that is not a `SerializationError`.
    static func expectTypedErrorOrSuccess(_ decode: () throws -> Void, _ what: String) {
        do {
            try decode()
        } catch is SerializationError {
            // The expected outcome for most corruptions.
        } catch {
            Issue.record("\(what): untyped error \(error)")
        }
    }

    /// Uses every byte of a decoded array, checking that it is self-consistent.
    static func validate(_ array: NPYArray) {
        #expect(Shape.count(of: array.shape) == array.scalarCount)
        #expect(array.data.count == array.scalarCount * array.dtype.byteCount)
        #expect(array.floats().count == array.scalarCount)
        #expect(array.tensor().shape == array.shape)
        _ = try? array.integers()
    }

    static let npyFiles: [[UInt8]] = [
        NPYFixtures.bytes(NPYFixtures.float64), NPYFixtures.bytes(NPYFixtures.fortran),
        NPYFixtures.bytes(NPYFixtures.version2), NPYFixtures.bytes(NPYFixtures.bigEndian),
        NPYFixtures.bytes(NPYFixtures.float16),
    ]

    @Test(arguments: 0..<npyFiles.count)
    func npy(fileIndex: Int) {
        for (index, bytes) in Self.corruptions(of: Self.npyFiles[fileIndex], seed: UInt64(fileIndex)).enumerated() {
            Self.expectTypedErrorOrSuccess({ Self.validate(try NPY.decode(bytes)) }, "npy \(fileIndex) case \(index)")
        }
    }

    static var npzFiles: [[UInt8]] {
        get throws {
            [NPZFixtures.bytes(NPZFixtures.stored), NPZFixtures.bytes(NPZFixtures.deflated), NPZFixtures.bytes(NPZFixtures.zip64),
             try NPZ.encode(["x": NPYArray(shape: [2, 2], scalars: [Int16(1), -2, 3, -4]), "y": NPYArray(shape: [3], scalars: [UInt8(9), 8, 7])],
                            compression: .deflated, forceZIP64: true)]
        }
    }

    @Test(arguments: 0..<4)
    func npz(fileIndex: Int) throws {
        for (index, bytes) in Self.corruptions(of: try Self.npzFiles[fileIndex], seed: 100 + UInt64(fileIndex)).enumerated() {
            Self.expectTypedErrorOrSuccess({
                let archive = try NPZArchive(bytes: bytes)
                for name in archive.names {
                    Self.expectTypedErrorOrSuccess({ Self.validate(try archive[name]) }, "npz \(fileIndex) case \(index) member \(name)")
                }
            }, "npz \(fileIndex) case \(index)")
        }
    }

    @Test func safeTensors() throws {
        for (index, bytes) in Self.corruptions(of: try SafeTensorsFixtures.small, seed: 200).enumerated() {
            Self.expectTypedErrorOrSuccess({
                let file = try SafeTensors.decode(bytes)
                #expect(file.names.count == file.tensors.count)
                for (name, tensor) in file.tensors {
                    #expect(tensor.scalars.count == Shape.count(of: tensor.shape), "\(name)")
                }
            }, "safetensors case \(index)")
        }
    }

    /// Bytes that are not any of the formats at all.
    @Test func randomGarbage() {
        var random = SplitMix64(seed: 300)
        for length in [0, 1, 7, 8, 9, 21, 22, 64, 300] {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                Self.expectTypedErrorOrSuccess({ _ = try NPY.decode(bytes) }, "npy garbage")
                Self.expectTypedErrorOrSuccess({ _ = try NPZArchive(bytes: bytes) }, "npz garbage")
                Self.expectTypedErrorOrSuccess({ _ = try SafeTensors.decode(bytes) }, "safetensors garbage")
            }
        }
    }
}
