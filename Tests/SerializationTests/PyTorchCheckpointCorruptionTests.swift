import FathomTestSupport
import Foundation
import Serialization
import Tensor
import Testing

/// Truncated and corrupted checkpoints: every prefix of the small fixtures must throw, and
/// hundreds of seeded byte corruptions must throw a typed error or decode to something
/// self-consistent. None may crash.
@Suite("PyTorch checkpoints: corrupt input")
struct PyTorchCheckpointCorruptionTests {
    static let fixtures = ["zip_proto2.pth", "zip_proto4.pth", "legacy_proto2.pth", "nested_legacy.pth", "dtypes.pth"]

    /// Whether `error` is one of the reader's typed errors.
    static func isTyped(_ error: any Error) -> Bool {
        error is SerializationError || error is PyTorchCheckpointError
    }

    @Test(arguments: fixtures)
    func everyPrefixThrows(file: String) throws {
        let bytes = try PyTorchFixtures.bytes(file)
        #expect(try PyTorchCheckpoint.decode(bytes).tensors.isEmpty == false)
        for length in 0..<bytes.count {
            do {
                let checkpoint = try PyTorchCheckpoint.decode(Array(bytes.prefix(length)))
                Issue.record("\(file): the \(length)-byte prefix decoded to \(checkpoint.names)")
            } catch {
                #expect(Self.isTyped(error), "\(file) prefix \(length): untyped error \(error)")
            }
        }
    }

    @Test(arguments: fixtures.indices)
    func seededByteCorruptions(index: Int) throws {
        let file = Self.fixtures[index]
        let bytes = try PyTorchFixtures.bytes(file)
        var decoded = 0
        for (case_, mutated) in CorruptInputTests.mutations(of: bytes, count: 300, seed: 500 + UInt64(index)).enumerated() {
            do {
                let checkpoint = try PyTorchCheckpoint.decode(mutated)
                decoded += 1
                #expect(checkpoint.names.count == checkpoint.tensors.count, "\(file) case \(case_)")
                for (name, tensor) in checkpoint.tensors {
                    #expect(tensor.scalars.count == Shape.count(of: tensor.shape), "\(file) case \(case_) \(name)")
                    #expect(checkpoint.dtypes[name] != nil, "\(file) case \(case_) \(name)")
                }
            } catch {
                #expect(Self.isTyped(error), "\(file) case \(case_): untyped error \(error)")
            }
        }
        // Zip members are CRC-checked, but flips in the unchecked parts (and everywhere in a
        // legacy file) can leave a readable checkpoint; most corruptions must be caught.
        #expect(decoded < 300)
    }

    /// Random bytes behind each of the two signatures.
    @Test func garbageAfterSignatures() {
        var random = SplitMix64(seed: 600)
        for signature in [[UInt8]([0x80, 0x02]), [0x50, 0x4B, 0x03, 0x04], [0x80, 0x02, 0x8A, 0x0A]] {
            for length in [0, 1, 5, 22, 64, 300] {
                for _ in 0..<50 {
                    let bytes = signature + (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                    do {
                        _ = try PyTorchCheckpoint.decode(bytes)
                    } catch {
                        #expect(Self.isTyped(error), "untyped error \(error)")
                    }
                }
            }
        }
    }
}
