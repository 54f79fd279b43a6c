import Foundation
import Layers
import Serialization
import Tensor
import Testing

@Suite struct StateDictionaryTests {
    /// A small model with parameters, buffers and an optional bias.
    private func makeModel(seed: UInt64, classCount: Int = 2) -> Sequential {
        var rng = RandomGenerator(seed: seed)
        return Sequential(Conv2D(1, 4, kernelSize: 3, bias: false, generator: &rng), BatchNorm2D(4), ReLU(),
                          GlobalAvgPool2D(), Linear(4, classCount, generator: &rng))
    }

    @Test func roundTripThroughASafeTensorsFile() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("model.safetensors")
        let original = makeModel(seed: 1)
        // Make the running statistics non-trivial so that buffers are checked too.
        var rng = RandomGenerator(seed: 2)
        _ = original(Tensor.normal([4, 1, 6, 6], mean: 1, generator: &rng))
        try original.save(to: url, metadata: ["epoch": "3"])
        #expect(try SafeTensors.read(from: url).metadata["epoch"] == "3")

        let restored = makeModel(seed: 99)
        let report = try restored.load(from: url)
        #expect(report.isComplete)
        #expect(report.loaded.sorted() == original.stateDictionary().keys.sorted())
        let expected = original.stateDictionary()
        for (name, tensor) in restored.stateDictionary() {
            #expect(tensor.isAlmostEqual(to: expected[name]!, tolerance: 0), "\(name) differs after the round trip")
        }
        original.eval()
        restored.eval()
        let x = Tensor.normal([2, 1, 6, 6], generator: &rng)
        #expect(withoutGradients { restored(x) }.isAlmostEqual(to: withoutGradients { original(x) }, tolerance: 0))
    }

    @Test func strictLoadingListsEveryOffendingKeyAndLoadsNothing() throws {
        let model = makeModel(seed: 1)
        var dictionary = makeModel(seed: 2, classCount: 3).stateDictionary()
        dictionary["1.running_mean"] = nil
        dictionary["5.weight"] = Tensor.zeros([1])
        let before = model.stateDictionary()

        let error = #expect(throws: StateDictionaryError.self) {
            try model.loadStateDictionary(dictionary, strict: true, source: "checkpoint.safetensors")
        }
        guard case let .incompatible(source, report)? = error else { return }
        #expect(source == "checkpoint.safetensors")
        #expect(report.missing == ["1.running_mean"])
        #expect(report.unexpected == ["5.weight"])
        #expect(report.mismatched == [
            .init(name: "4.weight", expected: [2, 4], found: [3, 4]),
            .init(name: "4.bias", expected: [2], found: [3]),
        ])
        let message = "\(error!)"
        #expect(message.contains("checkpoint.safetensors"))
        #expect(message.contains("missing keys (1): 1.running_mean"))
        #expect(message.contains("unexpected keys (1): 5.weight"))
        #expect(message.contains("size mismatch for 4.weight: model has [2, 4], dictionary has [3, 4]"))
        for (name, tensor) in model.stateDictionary() {
            #expect(tensor.isAlmostEqual(to: before[name]!, tolerance: 0), "\(name) was loaded by a failed strict load")
        }
    }

    @Test func nonStrictLoadingLoadsWhatMatchesForTransferLearning() throws {
        let pretrained = makeModel(seed: 1, classCount: 10).stateDictionary()
        let model = makeModel(seed: 2, classCount: 2)
        let headBefore = model.stateDictionary()["4.weight"]!
        let report = try model.loadStateDictionary(pretrained, strict: false)
        #expect(!report.isComplete)
        #expect(report.mismatched.map(\.name) == ["4.weight", "4.bias"])
        #expect(report.missing.isEmpty && report.unexpected.isEmpty)
        #expect(Set(report.loaded) == ["0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var"])
        #expect(model.stateDictionary()["0.weight"]!.isAlmostEqual(to: pretrained["0.weight"]!, tolerance: 0))
        #expect(model.stateDictionary()["4.weight"]!.isAlmostEqual(to: headBefore, tolerance: 0))
        #expect(report.description.contains("4.weight"))
    }

    @Test func pyTorchBatchCountersAreIgnored() throws {
        var dictionary = makeModel(seed: 1).stateDictionary()
        dictionary["1.num_batches_tracked"] = Tensor(7)
        let report = try makeModel(seed: 2).loadStateDictionary(dictionary)
        #expect(report.isComplete)
        #expect(report.ignored == ["1.num_batches_tracked"])
    }

    @Test func unreadableFilesThrowSerializationErrors() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("absent.safetensors")
        #expect(throws: SerializationError.self) { try makeModel(seed: 1).load(from: missing) }
        let garbage = directory.url.appendingPathComponent("garbage.safetensors")
        try Data([1, 2, 3]).write(to: garbage)
        #expect(throws: SerializationError.self) { try makeModel(seed: 1).load(from: garbage) }
    }
}
