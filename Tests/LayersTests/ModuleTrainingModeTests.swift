import Testing
import Tensor
import Layers

@Suite struct ModuleTrainingModeTests {
    @Test func trainAndEvalReachEverySublayer() {
        let model = ResNet.resnet18(inputChannels: 1, classCount: 2)
        #expect(model.modules().allSatisfy { $0.isTraining })
        model.eval()
        #expect(model.modules().allSatisfy { !$0.isTraining })
        #expect(!model.layer3[1].isTraining)
        model.train()
        #expect(model.modules().allSatisfy { $0.isTraining })
        model.train(false)
        #expect(model.modules().allSatisfy { !$0.isTraining })
    }

    @Test func freezeByPrefixMatchesWholeSegments() {
        let model = VGG(.vgg11, batchNorm: true, inputChannels: 1, classCount: 2)
        let all = model.namedParameters().count
        let frozen = model.freeze(prefix: "features")
        #expect(frozen == model.namedParameters().filter { $0.name.hasPrefix("features.") }.count)
        #expect(frozen > 0)
        #expect(model.parameters.count == all - frozen)
        #expect(model.namedParameters().allSatisfy { $0.name.hasPrefix("features.") != $0.parameter.requiresGradient })
        #expect(model.trainableParameterCount == model.parameterCount - model.namedParameters()
            .filter { $0.name.hasPrefix("features.") }.reduce(0) { $0 + $1.parameter.shape.reduce(1, *) })

        #expect(model.unfreeze(prefix: "features.1") == 2)  // BN weight and bias; not features.1x
        #expect(model.namedParameters().first { $0.name == "features.1.weight" }?.parameter.requiresGradient == true)
        #expect(model.namedParameters().first { $0.name == "features.11.weight" }?.parameter.requiresGradient == false)
        #expect(model.freeze(prefix: "nothing") == 0)
        model.unfreeze()
        #expect(model.parameters.count == all)
        model.freeze()
        #expect(model.parameters.isEmpty)
    }

    @Test func frozenParametersReceiveNoGradient() {
        var rng = RandomGenerator(seed: 5)
        let model = Sequential(Linear(3, 4, generator: &rng), ReLU(), Linear(4, 1, generator: &rng))
        model.freeze(prefix: "0")
        let x = Tensor.normal([5, 3], generator: &rng)
        model(x).sum().backward()
        let parameters = model.namedParameters()
        #expect(parameters.filter { $0.name.hasPrefix("0.") }.allSatisfy { $0.parameter.grad == nil })
        #expect(parameters.filter { $0.name.hasPrefix("2.") }.allSatisfy { $0.parameter.grad != nil })
        model.zeroGradients()
        #expect(parameters.allSatisfy { $0.parameter.grad == nil })
    }

    @Test func evalModeChangesBatchNormAndDropoutBehaviour() {
        var rng = RandomGenerator(seed: 6)
        let model = Sequential(BatchNorm1D(4), Dropout(probability: 0.5, seed: 1))
        let x = Tensor.normal([8, 4], mean: 3, standardDeviation: 2, generator: &rng)
        model.eval()
        // Fresh running statistics are mean 0, variance 1: eval mode is (x − 0)/√(1 + ε), and
        // dropout is the identity.
        #expect(withoutGradients { model(x) }.isAlmostEqual(to: x / (1 + 1e-5 as Float).squareRoot(), tolerance: 1e-5))
        model.train()
        let y = withoutGradients { model(x) }
        #expect(!y.isAlmostEqual(to: x, tolerance: 0.1))
    }
}
