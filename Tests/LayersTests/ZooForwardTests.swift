import Testing
import Tensor
import Layers

@Suite struct ZooForwardTests {
    @Test(arguments: [28, 64, 128, 224])
    func compactCNNAcceptsEveryMedMNISTSize(size: Int) {
        var rng = RandomGenerator(seed: 7)
        let model = CompactCNN(inputChannels: 1, classCount: 2)
        model.eval()
        let logits = withoutGradients { model(Tensor.normal([2, 1, size, size], generator: &rng)) }
        #expect(logits.shape == [2, 2])
        #expect(logits.scalars.allSatisfy { $0.isFinite })
    }

    @Test(arguments: ["resnet18", "resnet34", "mobilenet-v2", "efficientnet-lite0", "vgg11-bn"])
    func zooModelsClassifyAnyChannelCount(name: String) throws {
        var rng = RandomGenerator(seed: 8)
        let model = try ModelZoo.make(name, inputChannels: 1, classCount: 3, seed: 1)
        model.eval()
        let logits = withoutGradients { model(Tensor.normal([2, 1, 64, 64], generator: &rng)) }
        #expect(logits.shape == [2, 3])
        #expect(logits.scalars.allSatisfy { $0.isFinite })
    }

    @Test func sameSeedSameModelOtherSeedOtherModel() throws {
        let a = try ModelZoo.make("resnet18", inputChannels: 1, classCount: 2, seed: 3).stateDictionary()
        let b = try ModelZoo.make("resnet18", inputChannels: 1, classCount: 2, seed: 3).stateDictionary()
        let c = try ModelZoo.make("resnet18", inputChannels: 1, classCount: 2, seed: 4).stateDictionary()
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.allSatisfy { $0.value.isAlmostEqual(to: b[$0.key]!, tolerance: 0) })
        #expect(!a["layer1.0.conv1.weight"]!.isAlmostEqual(to: c["layer1.0.conv1.weight"]!, tolerance: 0))
    }

    @Test func mobileNetV2TensorFlowLiteConfigurationFoldsBatchNorm() {
        let model = MobileNetV2(configuration: .tensorFlowLite)
        let names = Set(model.stateDictionary().keys)
        #expect(model.namedBuffers().isEmpty)
        #expect(names.contains("features.0.0.bias"))
        #expect(names.contains("features.1.conv.1.bias"))  // the projection, right after the depthwise block
        #expect(names.contains("features.2.conv.2.bias"))
        #expect(names.contains("classifier.1.weight"))
        let conv = model.features[0] as? Sequential
        #expect((conv?[0] as? Conv2D)?.padding == .same)
        model.eval()
        // SAME padding: 225 → ⌈225/32⌉ = 8 spatially before pooling; the output is well-formed.
        var rng = RandomGenerator(seed: 9)
        #expect(withoutGradients { model(Tensor.normal([1, 3, 225, 225], generator: &rng)) }.shape == [1, 1000])
    }

    @Test func mobileNetV2TorchvisionNames() {
        let names = Set(MobileNetV2(classCount: 10).stateDictionary().keys)
        for name in ["features.0.0.weight", "features.0.1.running_mean", "features.1.conv.0.0.weight",
                     "features.1.conv.1.weight", "features.1.conv.2.running_var", "features.2.conv.0.0.weight",
                     "features.2.conv.1.0.weight", "features.2.conv.2.weight", "features.2.conv.3.bias",
                     "features.17.conv.3.weight", "features.18.0.weight", "features.18.1.bias",
                     "classifier.1.weight", "classifier.1.bias"] {
            #expect(names.contains(name), "missing \(name)")
        }
    }
}
