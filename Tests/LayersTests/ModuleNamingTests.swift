import Testing
import Tensor
import Layers

/// A layer holding a bit of everything the reflection must find.
private final class Mixed: Module {
    let scale = Parameter(Tensor.ones([3]))
    let runningSum = Buffer(Tensor.zeros([3]))
    let head: Linear
    let branches: [Module]
    let optionalLayer: Linear?
    let absentLayer: Linear? = nil
    let notAPart = 7

    init(generator: inout RandomGenerator) {
        head = Linear(3, 2, generator: &generator)
        branches = [Identity(), Linear(2, 2, bias: false, generator: &generator)]
        optionalLayer = Linear(2, 1, generator: &generator)
    }
}

/// A subclass of a user layer: inherited parts come first.
private final class MixedPlus: Module {
    let inner: Mixed
    let extra = Parameter(Tensor.zeros([1]))
    init(generator: inout RandomGenerator) { inner = Mixed(generator: &generator) }
}

/// Renames a property, as a port of foreign weights would.
private final class Renamed: Module {
    let stemConvolution: Conv2D
    override class var propertyKeys: [String: String] { ["stemConvolution": "_conv_stem"] }
    init(generator: inout RandomGenerator) {
        stemConvolution = Conv2D(1, 2, kernelSize: 1, bias: false, generator: &generator)
    }
}

/// Parts inside containers: a String-keyed dictionary, a tuple (plain and labelled), nested
/// arrays and an optional array.
private final class Containers: Module {
    let heads: [String: Linear]
    let pair: (Linear, Identity)
    let labelled: (gate: Parameter, bias: Buffer)
    let grid: [[Linear]]
    let maybe: [Linear]?
    let numbers = [Float](repeating: 1, count: 100_000)
    let words: [String: Int] = ["a": 1]

    init(generator: inout RandomGenerator) {
        heads = ["zeta": Linear(2, 1, bias: false, generator: &generator), "alpha": Linear(2, 3, bias: false, generator: &generator)]
        pair = (Linear(2, 2, bias: false, generator: &generator), Identity())
        labelled = (Parameter(Tensor.ones([1])), Buffer(Tensor.zeros([1])))
        grid = [[Linear(1, 1, bias: false, generator: &generator)], [Linear(1, 1, bias: false, generator: &generator),
                                                                     Linear(1, 1, bias: false, generator: &generator)]]
        maybe = [Linear(1, 1, bias: false, generator: &generator)]
    }
}

@Suite struct ModuleNamingTests {
    @Test func partsInsideDictionariesTuplesAndNestedArraysAreFound() {
        var rng = RandomGenerator(seed: 2)
        let model = Containers(generator: &rng)
        #expect(model.namedParameters().map(\.name) == [
            "heads.alpha.weight", "heads.zeta.weight", "pair.0.weight", "labelled.gate",
            "grid.0.0.weight", "grid.1.0.weight", "grid.1.1.weight", "maybe.0.weight",
        ])
        #expect(model.namedBuffers().map(\.name) == ["labelled.bias"])
        #expect(model.namedChildren().map(\.name) == ["heads.alpha", "heads.zeta", "pair.0", "pair.1", "grid.0.0", "grid.1.0", "grid.1.1", "maybe.0"])
        #expect(model.parameters.count == 8, "every parameter reaches the optimizer")
        #expect(model.namedParameters()[0].parameter === model.heads["alpha"]?.weight)
    }

    @Test func parametersBuffersAndChildrenAreFoundByReflection() {
        var rng = RandomGenerator(seed: 1)
        let model = Mixed(generator: &rng)
        #expect(model.namedParameters().map(\.name) == [
            "scale", "head.weight", "head.bias", "branches.1.weight", "optional_layer.weight", "optional_layer.bias",
        ])
        #expect(model.namedBuffers().map(\.name) == ["running_sum"])
        #expect(model.namedChildren().map(\.name) == ["head", "branches.0", "branches.1", "optional_layer"])
        #expect(model.namedModules().map(\.name) == ["", "head", "branches.0", "branches.1", "optional_layer"])
        #expect(model.namedParameters()[1].parameter === model.head.weight)
    }

    @Test func nestedNamesAreDotted() {
        var rng = RandomGenerator(seed: 1)
        let model = MixedPlus(generator: &rng)
        let names = model.namedParameters().map(\.name)
        #expect(names.first == "inner.scale")
        #expect(names.contains("inner.branches.1.weight"))
        #expect(names.last == "extra")
        #expect(model.namedBuffers().map(\.name) == ["inner.running_sum"])
    }

    @Test func sequentialNamesLayersByPosition() {
        var rng = RandomGenerator(seed: 2)
        let model = Sequential(Conv2D(1, 4, kernelSize: 3, generator: &rng), BatchNorm2D(4), ReLU(),
                               Sequential(Flatten(), Linear(4, 2, generator: &rng)))
        #expect(model.stateDictionary().keys.sorted() == [
            "0.bias", "0.weight", "1.bias", "1.running_mean", "1.running_var", "1.weight", "3.1.bias", "3.1.weight",
        ])
    }

    @Test func resNetNamesMatchTorchvision() {
        let model = ResNet.resnet18(inputChannels: 1, classCount: 2)
        let keys = Set(model.stateDictionary().keys)
        // Names as torchvision's resnet18().state_dict() spells them (without
        // num_batches_tracked, which Fathom does not keep).
        for name in ["conv1.weight", "bn1.weight", "bn1.running_var", "layer1.0.conv1.weight",
                     "layer1.0.bn1.running_mean", "layer1.1.bn2.bias", "layer2.0.downsample.0.weight",
                     "layer2.0.downsample.1.running_var", "layer4.1.conv2.weight", "fc.weight", "fc.bias"] {
            #expect(keys.contains(name), "missing \(name)")
        }
        #expect(!keys.contains("layer1.0.downsample.0.weight"))  // identity shortcut: no projection
        // torchvision's 122 entries less 20 num_batches_tracked: 62 parameters and the two
        // running statistics of 20 batch norms.
        #expect(keys.count == 62 + 2 * 20)
    }

    @Test func snakeCaseAndRenaming() {
        var rng = RandomGenerator(seed: 3)
        #expect(Renamed(generator: &rng).namedParameters().map(\.name) == ["_conv_stem.weight"])
        #expect(BatchNorm1D(3).namedBuffers().map(\.name) == ["running_mean", "running_var"])
        #expect(BatchNorm1D(3, affine: false, tracksRunningStatistics: false).stateDictionary().isEmpty)
    }

    @Test func sharedLayersAreListedOnce() {
        var rng = RandomGenerator(seed: 4)
        let shared = Linear(2, 2, generator: &rng)
        let model = Sequential(shared, ReLU(), shared)
        #expect(model.namedParameters().map(\.name) == ["0.weight", "0.bias"])
        #expect(model.parameterCount == 6)
    }

    @Test func efficientNetNamesMatchThePretrainedFile() {
        let keys = Set(EfficientNetLite().stateDictionary().keys)
        for name in ["_conv_stem.weight", "_bn0.running_var", "_blocks.0._depthwise_conv.weight",
                     "_blocks.1._expand_conv.weight", "_blocks.15._bn2.running_mean", "_conv_head.weight",
                     "_bn1.bias", "_fc.weight", "_fc.bias"] {
            #expect(keys.contains(name), "missing \(name)")
        }
        #expect(!keys.contains("_blocks.0._expand_conv.weight"))  // expansion 1: no expand conv
    }
}
