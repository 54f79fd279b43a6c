import FathomTestSupport
import Foundation
import Testing
import Tensor
import Layers

/// Adapting pretrained networks to one-channel, two-class X-rays: the summed stem computes
/// what the RGB stem computes on a repeated gray image, the adapted network is exactly the zoo
/// architecture, and a frozen backbone keeps its weights and batch-norm statistics.
@Suite struct FineTuningTests {
    static func pretrainedEfficientNet() throws -> EfficientNetLite {
        let model = EfficientNetLite()
        let report = try PretrainedWeights.load(
            into: model, from: SharedData.pretrainedFile("efficientnet_lite0/efficientnet_lite0.safetensors"))
        try #require(report.isComplete)
        return model
    }

    /// Whether two tensors hold the same bits (a Bool, so that a failure prints no arrays).
    static func identical(_ a: Tensor?, _ b: Tensor?) -> Bool {
        a?.shape == b?.shape && a?.scalars == b?.scalars
    }

    @Test func summedStemEqualsTheRGBStemOnRepeatedGray() throws {
        let model = try Self.pretrainedEfficientNet()
        model.eval()
        var generator = RandomGenerator(seed: 5)
        let gray = Tensor.uniform([2, 1, 96, 96], low: -1, high: 1, generator: &generator)
        let rgb = Tensor.concatenate([gray, gray, gray], alongAxis: 1)
        let before = withoutGradients { model.split(rgb).featureMaps }

        model.adapt(inputChannels: 1, classCount: 2, seed: 9)
        #expect(model.stem.weight.shape == [32, 1, 3, 3])
        #expect(model.classifierHead.weight.shape == [2, 1280])
        let after = withoutGradients { model.split(gray).featureMaps }
        #expect(after.shape == before.shape)
        let scale = before.abs().max().scalar
        let difference = after.maxAbsoluteDifference(before)
        #expect(difference <= 1e-4 * scale, "max |Δ| = \(difference) at scale \(scale)")
        let logits = withoutGradients { model(gray) }
        #expect(logits.shape == [2, 2] && logits.scalars.allSatisfy(\.isFinite))
    }

    @Test(arguments: ["efficientnet-lite0", "mobilenet-v2-tflite"])
    func adaptedNetworkIsTheZooArchitecture(name: String) throws {
        let pretrained = try ModelZoo.make(name, inputChannels: 3, classCount: 1000, seed: 1) as! any FineTunable
        pretrained.adapt(inputChannels: 1, classCount: 2, seed: 2)
        let zoo = try ModelZoo.make(name, inputChannels: 1, classCount: 2, seed: 3)
        let adaptedState = pretrained.stateDictionary(), zooState = zoo.stateDictionary()
        #expect(adaptedState.keys.sorted() == zooState.keys.sorted())
        for (key, value) in adaptedState { #expect(value.shape == zooState[key]?.shape, "\(key)") }

        // A saved adapted model reloads strictly into the zoo's and computes the same thing.
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("adapted.safetensors")
        try pretrained.save(to: file)
        try zoo.load(from: file, strict: true)
        var generator = RandomGenerator(seed: 4)
        let x = Tensor.normal([1, 1, 64, 64], generator: &generator)
        #expect(Self.identical(InferenceModel(zoo)(x), InferenceModel(pretrained)(x)))
    }

    @Test func frozenBackboneKeepsWeightsAndStatisticsWhileTheHeadLearns() throws {
        let model = try Self.pretrainedEfficientNet()
        model.adapt(inputChannels: 1, classCount: 2, seed: 1)
        let initial = model.stateDictionary()
        model.train()
        let frozen = model.freezeBackbone()
        #expect(frozen == model.namedParameters().count - 2)  // all but _fc.weight and _fc.bias
        #expect(model.parameters.count == 2)
        #expect(model.dropout.isTraining && model.fc.isTraining)
        #expect(!model.bn0.isTraining && !model.blocks[4].bn1.isTraining)

        var generator = RandomGenerator(seed: 2)
        let x = Tensor.normal([4, 1, 64, 64], generator: &generator)
        let loss = crossEntropy(logits: model(x), labels: [0, 1, 1, 0])
        loss.backward()
        #expect(model.fc.weight.grad != nil)
        #expect(model.backboneParameters.allSatisfy { $0.grad == nil })
        for (name, value) in model.stateDictionary() where !model.isHead(name) {
            #expect(Self.identical(value, initial[name]), "\(name) moved while frozen")
        }

        // Unfrozen, training mode: batch norm updates its statistics and the backbone gets
        // gradients.
        model.zeroGradients()
        #expect(model.unfreezeBackbone() == frozen)
        model.train()
        crossEntropy(logits: model(x), labels: [0, 1, 1, 0]).backward()
        #expect(model.stem.weight.grad != nil)
        #expect(!Self.identical(model.stateDictionary()["_bn0.running_mean"], initial["_bn0.running_mean"]))
        #expect(model.headParameters.count == 2 && model.backboneParameters.count == frozen)
    }

    @Test(arguments: ["efficientnet-lite0", "mobilenet-v2-tflite"])
    func featureMapSplitReproducesTheForwardPass(name: String) throws {
        let model = try ModelZoo.make(name, inputChannels: 1, classCount: 2, seed: 6) as! any FeatureMapClassifier
        model.eval()
        var generator = RandomGenerator(seed: 7)
        let x = Tensor.normal([2, 1, 64, 64], generator: &generator)
        let (maps, head) = withoutGradients { model.split(x) }
        #expect(maps.shape[2] >= minimumMapSide && maps.shape[2] < 16)
        let direct = withoutGradients { model(x) }
        #expect(withoutGradients { head(maps) }.maxAbsoluteDifference(direct) <= 1e-5)
    }
}
