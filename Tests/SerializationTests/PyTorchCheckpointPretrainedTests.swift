import FathomTestSupport
import Foundation
import Serialization
import Tensor
import Testing

/// The real EfficientNet-Lite0 checkpoint of ../shared/pretrained (legacy format, 18.8 MB)
/// against the safetensors export of the same weights.
@Suite("PyTorch checkpoints: EfficientNet-Lite0")
struct PyTorchCheckpointPretrainedTests {
    static let checkpointPath = "efficientnet_lite0/efficientnet-lite0-57934424.pth"
    static let safeTensorsPath = "efficientnet_lite0/efficientnet_lite0.safetensors"

    /// Same names (after dropping `num_batches_tracked`), same shapes, bit-identical values.
    static func expectIdentical(_ tensors: [String: Tensor], _ reference: SafeTensorsFile,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(tensors.keys) == Set(reference.names), sourceLocation: sourceLocation)
        for name in reference.names {
            guard let tensor = tensors[name], let expected = reference[name] else { continue }
            #expect(tensor.shape == expected.shape, "\(name)", sourceLocation: sourceLocation)
            let identical = tensor.withUnsafeBufferPointer { a in
                expected.withUnsafeBufferPointer { b in
                    a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count * MemoryLayout<Float>.size) == 0)
                }
            }
            #expect(identical, "\(name) differs", sourceLocation: sourceLocation)
        }
    }

    @Test func matchesTheSafeTensorsExport() throws {
        let checkpoint = try PyTorchCheckpoint.load(from: SharedData.pretrainedFile(Self.checkpointPath))
        let reference = try SafeTensors.read(from: SharedData.pretrainedFile(Self.safeTensorsPath))
        #expect(checkpoint.format == .legacy)
        #expect(checkpoint.names.count == 296)
        #expect(checkpoint.names.first == "_conv_stem.weight")

        let counters = checkpoint.names.filter { $0.hasSuffix(".num_batches_tracked") }
        #expect(counters.count == 49)
        for name in counters {
            #expect(checkpoint.dtypes[name] == .int64)
            #expect(checkpoint[name]?.shape == [])
        }
        #expect(checkpoint.dtypes.filter { $0.value == .float32 }.count == 247)

        Self.expectIdentical(checkpoint.tensors.filter { !$0.key.hasSuffix(".num_batches_tracked") }, reference)
    }

    @Test func convertsToTheSameSafeTensors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-pth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let destination = directory.appendingPathComponent("efficientnet_lite0.safetensors")

        let written = try PyTorchCheckpoint.convert(from: SharedData.pretrainedFile(Self.checkpointPath), to: destination)
        #expect(written.count == 247)
        let reference = try SafeTensors.read(from: SharedData.pretrainedFile(Self.safeTensorsPath))
        Self.expectIdentical(try SafeTensors.read(from: destination).tensors, reference)
    }

    /// A handful of cuts: inside each of the five pickles, inside the storage data, and one
    /// byte short. Every one must throw a typed error.
    @Test func truncatedCheckpointThrows() throws {
        let bytes = [UInt8](try Data(contentsOf: SharedData.pretrainedFile(Self.checkpointPath)))
        for length in [0, 1, 8, 16, 20, 100, 200, 5_000, 42_000, 42_500, 47_000, 47_200, 1 << 20, bytes.count / 2, bytes.count - 5, bytes.count - 1] {
            do {
                _ = try PyTorchCheckpoint.decode(Array(bytes.prefix(length)))
                Issue.record("the \(length)-byte prefix decoded")
            } catch {
                #expect(error is SerializationError || error is PyTorchCheckpointError, "prefix \(length): \(error)")
            }
        }
    }
}
