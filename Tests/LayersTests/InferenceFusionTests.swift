import FathomTestSupport
import Testing
import Tensor
import Layers

// The fusion transform (FusedModel, fusedForInference): convolution + eval-mode batch norm +
// activation in one pass, in-place residual sums, and batch-chunked stems/blocks. Every fused
// result is compared with the same computation done op by op (or the plain model, module by
// module); training and recording must be exactly what they were.

/// Gives every batch norm of `model` random running statistics and affine parameters, so that
/// a fused affine map that dropped or swapped a term cannot match by accident (the defaults,
/// mean 0, variance 1, γ 1, β 0, are nearly the identity).
private func randomizeBatchNorms(_ model: Module, seed: UInt64) {
    var rng = RandomGenerator(seed: seed)
    let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.name, $0.parameter) })
    for (name, buffer) in model.namedBuffers() {
        let channels = buffer.shape[0]
        if name.hasSuffix("running_mean") {
            buffer.value = Tensor.normal([channels], generator: &rng) * 0.3
            let prefix = String(name.dropLast("running_mean".count))
            parameters[prefix + "weight"]?.value = Tensor.uniform([channels], low: 0.6, high: 1.4, generator: &rng)
            parameters[prefix + "bias"]?.value = Tensor.normal([channels], generator: &rng) * 0.2
        } else if name.hasSuffix("running_var") {
            buffer.value = Tensor.uniform([channels], low: 0.5, high: 1.5, generator: &rng)
        }
    }
}

/// The largest difference between `actual` and `expected` relative to the largest magnitude of
/// `expected` (at least 1), or infinity when the shapes differ: a number, so that a failure
/// reports it rather than two whole tensors.
private func relativeError(_ actual: Tensor, _ expected: Tensor) -> Float {
    guard actual.shape == expected.shape else { return .infinity }
    return actual.maxAbsoluteDifference(expected) / max(1, expected.scalars.map(abs).max() ?? 0)
}

/// The eval-mode forward pass of the plain model on the recording path (parameters require
/// gradients, the tape is on): no fusion, no chunking, the modules one after another.
private func unfusedForward(_ model: Module, _ input: Tensor) -> Tensor {
    model(input).detached()
}

/// The forward pass of the fused model (eval mode, no tape).
private func fusedForward(_ model: Module, _ input: Tensor) -> Tensor {
    model.fusedForInference()(input)
}

@Suite struct InferenceFusionTests {
    // MARK: - The functional core

    @Test(arguments: [FusedActivation.identity, .relu, .relu6])
    func convBatchNormActivationEqualsTheOpsOneByOne(activation: FusedActivation) {
        var rng = RandomGenerator(seed: 1)
        // Odd sizes, stride 2 with padding, a convolution bias and a depthwise case.
        for (channels, outputs, groups, kernel) in [(5, 7, 1, 3), (6, 6, 6, 5), (4, 8, 2, 1)] {
            let input = Tensor.normal([3, channels, 11, 9], generator: &rng) * 3
            let weight = Tensor.normal([outputs, channels / groups, kernel, kernel], generator: &rng)
            let bias = Tensor.normal([outputs], generator: &rng)
            let norm = EvalBatchNorm(runningMean: Tensor.normal([outputs], generator: &rng),
                                     runningVariance: Tensor.uniform([outputs], low: 0.2, high: 2, generator: &rng),
                                     weight: Tensor.normal([outputs], generator: &rng),
                                     bias: Tensor.normal([outputs], generator: &rng), epsilon: 1e-3)
            let (fused, reference) = withoutGradients {
                let fused = convBatchNormActivation(input, weight: weight, bias: bias, stride: (2, 2), padding: .symmetric(1),
                                                    groups: groups, normalization: norm, activation: activation)
                var y = conv2d(input, weight: weight, bias: bias, stride: (2, 2), padding: .symmetric(1), groups: groups)
                y = batchNorm(y, runningMean: norm.runningMean, runningVariance: norm.runningVariance, weight: norm.weight,
                              bias: norm.bias, training: false, epsilon: norm.epsilon).output
                switch activation {
                case .identity: break
                case .relu: y = y.relu()
                case .relu6: y = y.relu6()
                }
                return (fused, y)
            }
            // The same arithmetic in the same order: bit for bit.
            #expect(fused.shape == reference.shape)
            #expect(fused.maxAbsoluteDifference(reference) == 0, "groups \(groups), kernel \(kernel), \(activation)")
            if activation == .relu6 { #expect(fused.scalars.contains(6) && fused.scalars.contains(0)) }
        }
    }

    @Test func convBatchNormActivationWithoutNormalizationOnlyActivates() {
        var rng = RandomGenerator(seed: 2)
        let input = Tensor.normal([2, 3, 8, 8], generator: &rng)
        let weight = Tensor.normal([4, 3, 3, 3], generator: &rng)
        let (fused, reference) = withoutGradients {
            (convBatchNormActivation(input, weight: weight, padding: .symmetric(1), normalization: nil, activation: .relu6),
             conv2d(input, weight: weight, padding: .symmetric(1)).relu6())
        }
        #expect(fused.maxAbsoluteDifference(reference) == 0)
    }

    @Test func convBatchNormActivationRecordsLikeTheUnfusedOps() throws {
        var rng = RandomGenerator(seed: 3)
        let input = (Tensor.normal([2, 3, 7, 6], generator: &rng)).requiringGradient()
        let weight = Tensor.normal([5, 3, 3, 3], generator: &rng).requiringGradient()
        let gamma = Tensor.uniform([5], low: 0.5, high: 1.5, generator: &rng).requiringGradient()
        let beta = Tensor.normal([5], generator: &rng).requiringGradient()
        let mean = Tensor.normal([5], generator: &rng), variance = Tensor.uniform([5], low: 0.5, high: 2, generator: &rng)
        let norm = EvalBatchNorm(runningMean: mean, runningVariance: variance, weight: gamma, bias: beta)
        let fused = convBatchNormActivation(input, weight: weight, padding: .symmetric(1), normalization: norm, activation: .relu)
        #expect(fused.requiresGradient)
        let fusedGradients = (fused * fused).sum().gradients(withRespectTo: [input, weight, gamma, beta])
        let unfused = batchNorm(conv2d(input, weight: weight, padding: .symmetric(1)), runningMean: mean, runningVariance: variance,
                                weight: gamma, bias: beta, training: false).output.relu()
        let unfusedGradients = (unfused * unfused).sum().gradients(withRespectTo: [input, weight, gamma, beta])
        #expect(fused.detached().maxAbsoluteDifference(unfused.detached()) == 0)
        for (a, b) in zip(fusedGradients, unfusedGradients) {
            let a = try #require(a), b = try #require(b)
            #expect(a.maxAbsoluteDifference(b) == 0)
        }
    }

    @Test func convBatchNormActivationGradientsMatchFiniteDifferences() {
        var rng = RandomGenerator(seed: 4)
        let mean = Tensor.normal([4], generator: &rng), variance = Tensor.uniform([4], low: 0.5, high: 2, generator: &rng)
        let inputs = [Tensor.normal([2, 3, 5, 5], generator: &rng), Tensor.normal([4, 3, 3, 3], generator: &rng),
                      Tensor.uniform([4], low: 0.5, high: 1.5, generator: &rng), Tensor.normal([4], generator: &rng)]
        // All four inputs checked; one without a gradient fails the check.
        checkGradients(of: { x in
            convBatchNormActivation(x[0], weight: x[1], stride: (2, 2), padding: .symmetric(1),
                                    normalization: EvalBatchNorm(runningMean: mean, runningVariance: variance, weight: x[2], bias: x[3]),
                                    activation: .identity)
        }, at: inputs, tolerance: .relativeToLargest())
    }

    @Test func sumIntoATemporaryEqualsTheSumAndLeavesSharedOperandsAlone() {
        var rng = RandomGenerator(seed: 5)
        let a = Tensor.normal([3, 4, 70, 70], generator: &rng) * 4, b = Tensor.normal([3, 4, 70, 70], generator: &rng) * 4
        let expected = Tensor(shape: a.shape, scalars: zip(a.scalars, b.scalars).map { $0 + $1 })
        let kept = a
        let shared = a + b  // `a` is still held by `kept`: a new buffer
        #expect(shared.maxAbsoluteDifference(expected) == 0)
        #expect(kept.maxAbsoluteDifference(a) == 0 && !shared.sharesStorage(with: kept))
        let temporary = a * 1
        weak let storage = temporary.storageReference  // weak: it must not count as a holder
        let inPlace = (consume temporary) + b  // nothing else holds it: summed into its buffer
        #expect(inPlace.maxAbsoluteDifference(expected) == 0)
        #expect(storage != nil && inPlace.storageReference === storage)
    }

    @Test func sumIntoATemporaryRecordsWhenTheTapeIsOn() throws {
        var rng = RandomGenerator(seed: 6)
        let a = Tensor.normal([2, 3, 4, 4], generator: &rng).requiringGradient(), b = Tensor.normal([2, 3, 4, 4], generator: &rng)
        let y = ((a * 2) + b).relu()
        #expect(y.requiresGradient)
        let gradient = try #require(y.sum().gradients(withRespectTo: [a])[0])
        let expected = (a.detached() * 2 + b).scalars.map { $0 > 0 ? Float(2) : 0 }
        #expect(gradient.scalars == expected)
    }

    // MARK: - Sequential

    @Test func sequentialFusesConvNormActivationRunsInEvalMode() {
        var rng = RandomGenerator(seed: 7)
        // Conv-BN-ReLU6, Conv(bias)-BN (no affine) at the end, Conv-BN-LeakyReLU (not fusable
        // as an activation), BN without running statistics (never fused).
        let model = Sequential(
            Conv2D(3, 6, kernelSize: 3, stride: 2, padding: .symmetric(1), bias: false, generator: &rng), BatchNorm2D(6), ReLU6(),
            Conv2D(6, 6, kernelSize: 3, padding: .same, groups: 6, generator: &rng), BatchNorm2D(6), LeakyReLU(negativeSlope: 0.1),
            Conv2D(6, 5, kernelSize: 1, generator: &rng), BatchNorm2D(5, tracksRunningStatistics: false), ReLU(),
            Conv2D(5, 4, kernelSize: 3, generator: &rng), BatchNorm2D(4, affine: false))
        randomizeBatchNorms(model, seed: 8)
        model.eval()
        let input = Tensor.normal([3, 3, 17, 15], generator: &rng)
        let fused = fusedForward(model, input)
        let layerByLayer = withoutGradients { model.layers.reduce(input) { x, layer in layer(x) } }
        #expect(fused.maxAbsoluteDifference(layerByLayer) == 0)
        #expect(fused.maxAbsoluteDifference(unfusedForward(model, input)) == 0)
    }

    /// A convolution whose output is read twice: by its batch norm and by the sum after it.
    private final class ReusedFeatures: Module {
        let conv: Conv2D, norm: BatchNorm2D, relu = ReLU()
        init(generator: inout RandomGenerator) {
            conv = Conv2D(2, 3, kernelSize: 3, padding: .symmetric(1), generator: &generator)
            norm = BatchNorm2D(3)
        }
        override func forward(_ input: Tensor) -> Tensor {
            let features = conv(input)
            return relu(norm(features)) + features
        }
    }

    @Test func anIntermediateReadTwiceIsNotFused() {
        var rng = RandomGenerator(seed: 40)
        let block = ReusedFeatures(generator: &rng)
        let model = Sequential(block, Conv2D(3, 2, kernelSize: 1, generator: &rng), BatchNorm2D(2), ReLU6())
        randomizeBatchNorms(model, seed: 41)
        model.eval()
        let fused = model.fusedForInference()
        // The convolution's output has two readers; the batch norm's one (the ReLU): only that pair fuses.
        #expect(fused.plannedFusions(imageShape: [2, 9, 7]) == ["0.norm + 0.relu", "1 + 2 + 3", "2 + 3"])
        let input = Tensor.normal([3, 2, 9, 7], generator: &rng)
        #expect(fused(input).maxAbsoluteDifference(unfusedForward(model, input)) <= 1e-6)
    }

    @Test func tracingKeepsTheGraphButNothingForBackward() {
        var rng = RandomGenerator(seed: 42)
        let x = Tensor.normal([4, 4], generator: &rng).requiringGradient()
        weak var savedFactor: TensorStorage?
        let product: Tensor = tracingGraph {
            let factor = x * 3  // a product's rule keeps the other factor
            savedFactor = factor.storageReference
            return (factor * x).relu()
        }
        #expect(savedFactor == nil, "the rule's saved factor outlived the trace")
        let node = product.gradNode
        #expect(node?.op == "relu" && node?.inputNodes.first?.op == "multiply")
        #expect(node?.inputNodes.first?.inputNodes.count == 2)
    }

    @Test func aChainAcrossContainersFusesAndNothingFusesAcrossAPassThrough() {
        var rng = RandomGenerator(seed: 43)
        // The convolution ends one Sequential, its batch norm and ReLU start the next; then a
        // convolution, a dropout (the identity in eval mode, not in training) and a batch norm.
        let model = Sequential(
            Sequential(Conv2D(2, 3, kernelSize: 3, padding: .symmetric(1), generator: &rng)),
            Sequential(BatchNorm2D(3), ReLU()),
            Conv2D(3, 4, kernelSize: 1, generator: &rng), Dropout(probability: 0.5, generator: rng.split()), BatchNorm2D(4), ReLU())
        randomizeBatchNorms(model, seed: 44)
        model.eval()
        let fused = model.fusedForInference()
        #expect(fused.plannedFusions(imageShape: [2, 6, 5]) == ["0.0 + 1.0 + 1.1", "1.0 + 1.1", "4 + 5"])
        let input = Tensor.normal([3, 2, 6, 5], generator: &rng)
        #expect(fused(input).maxAbsoluteDifference(unfusedForward(model, input)) <= 1e-6)
    }

    @Test func resNetPlanFusesEveryConvolutionWithItsBatchNorm() {
        let fused = ResNet.resnet18(inputChannels: 1, classCount: 2).fusedForInference()
        let plan = fused.plannedFusions(imageShape: [1, 64, 64])
        #expect(plan.contains("conv1 + bn1 + relu + maxpool, in batch chunks"))
        #expect(plan.contains("layer1.0.conv1 + layer1.0.bn1 + layer1.0.relu"))
        #expect(plan.contains("layer2.0.downsample.0 + layer2.0.downsample.1"))
        // 20 convolutions, each with its batch norm.
        #expect(plan.filter { $0.contains("conv") || $0.contains("downsample.0 +") }.count == 20)
    }

    @Test func trainingModeIsUnchangedBitForBit() throws {
        func make() -> Sequential {
            var rng = RandomGenerator(seed: 9)
            return Sequential(Conv2D(2, 4, kernelSize: 3, padding: .symmetric(1), generator: &rng), BatchNorm2D(4), ReLU(),
                              Conv2D(4, 3, kernelSize: 3, stride: 2, generator: &rng), BatchNorm2D(3), ReLU6())
        }
        var rng = RandomGenerator(seed: 10)
        let input = Tensor.normal([4, 2, 9, 9], generator: &rng)
        let model = make(), reference = make()
        let fusedModel = FusedModel(model)
        // Training with the tape, and training-mode batch statistics without it.
        let output = fusedModel(input)
        let expected = reference.layers.reduce(input) { x, layer in layer(x) }
        #expect(output.detached().maxAbsoluteDifference(expected.detached()) == 0)
        output.sum().backward()
        expected.sum().backward()
        for (a, b) in zip(model.parameters, reference.parameters) {
            let ga = try #require(a.grad), gb = try #require(b.grad)
            #expect(ga.maxAbsoluteDifference(gb) == 0)
        }
        let untaped = withoutGradients { fusedModel(input) }
        let untapedReference = withoutGradients { reference.layers.reduce(input) { x, layer in layer(x) } }
        #expect(untaped.maxAbsoluteDifference(untapedReference) == 0)
        for (a, b) in zip(model.namedBuffers(), reference.namedBuffers()) {
            #expect(a.buffer.value.maxAbsoluteDifference(b.buffer.value) == 0, "\(a.name)")
        }
    }

    @Test func evalModeWithTheTapeStillRecords() throws {
        var rng = RandomGenerator(seed: 11)
        let model = Sequential(Conv2D(1, 3, kernelSize: 3, generator: &rng), BatchNorm2D(3), ReLU())
        randomizeBatchNorms(model, seed: 12)
        model.eval()
        let input = Tensor.normal([2, 1, 6, 6], generator: &rng).requiringGradient()
        let output = FusedModel(model)(input)
        #expect(output.requiresGradient)
        let gradient = try #require(output.sum().gradients(withRespectTo: [input])[0])
        #expect(gradient.scalars.contains { $0 != 0 })
    }

    @Test func summaryStillListsEveryLayerInEvalMode() {
        let model = CompactCNN()
        let training = model.summary(inputShape: [1, 1, 28, 28]).rows
        model.eval()
        let evaluation = model.summary(inputShape: [1, 1, 28, 28]).rows
        #expect(evaluation == training)
        #expect(evaluation.contains { $0.type == "BatchNorm2D" })
    }

    // MARK: - The model zoo

    /// Gives `model`'s batch norms random statistics, switches it to eval mode and expects its
    /// fused forward pass on a random input of `shape` to match the layer-by-layer one.
    private func expectFusedEqualsUnfused(_ model: Module, input shape: [Int], seed: UInt64,
                                          sourceLocation: SourceLocation = #_sourceLocation) {
        randomizeBatchNorms(model, seed: seed)
        model.eval()
        var rng = RandomGenerator(seed: seed + 1)
        let input = Tensor.normal(shape, generator: &rng)
        let fused = fusedForward(model, input)
        #expect(relativeError(fused, unfusedForward(model, input)) <= 1e-5, sourceLocation: sourceLocation)
        #expect(fused.scalars.allSatisfy { $0.isFinite }, sourceLocation: sourceLocation)
    }

    @Test func compactCNNFusedEqualsUnfused() {
        expectFusedEqualsUnfused(CompactCNN(inputChannels: 1, classCount: 2, seed: 3), input: [3, 1, 31, 29], seed: 13)
    }

    @Test func resNet18FusedEqualsUnfused() {
        expectFusedEqualsUnfused(ResNet.resnet18(inputChannels: 1, classCount: 3, seed: 2), input: [2, 1, 64, 64], seed: 15)
    }

    @Test func resNetStemInBatchChunksEqualsUnfused() {
        // 224 px: the stem's output per image is 3 MiB, so a batch of 5 runs in two chunks (3 + 2).
        let model = ResNet(blockCounts: [1, 1, 1, 1], inputChannels: 1, classCount: 2, seed: 4)
        randomizeBatchNorms(model, seed: 17)
        model.eval()
        var rng = RandomGenerator(seed: 18)
        let input = Tensor.normal([5, 1, 224, 224], generator: &rng)
        let fusedModel = model.fusedForInference()
        let fused = fusedModel(input)
        #expect(relativeError(fused, unfusedForward(model, input)) <= 1e-5)
        #expect(fusedModel.plannedFusions(imageShape: [1, 224, 224]).contains("conv1 + bn1 + relu + maxpool, in batch chunks"))
        // Each image's logits do not depend on the others (or on the chunk it landed in).
        let single = fusedModel(input.slice(alongAxis: 0, start: 4, end: 5))
        #expect(relativeError(fused.slice(alongAxis: 0, start: 4, end: 5), single) <= 1e-5)
    }

    @Test func efficientNetLite0FusedEqualsUnfused() {
        expectFusedEqualsUnfused(EfficientNetLite(inputChannels: 3, classCount: 5, seed: 5), input: [2, 3, 64, 64], seed: 19)
    }

    @Test func mbConvBlockInBatchChunksEqualsUnfused() {
        // 96 expanded channels at 112×112 are 4.8 MB per image: a batch of 5 runs in three chunks.
        var rng = RandomGenerator(seed: 21)
        for (inputs, stride) in [(16, 2), (24, 1)] {
            let block = MBConvBlock(inputs, 24, kernelSize: 3, stride: stride, expansion: 6, padding: .tensorFlowSame,
                                    normalization: { BatchNorm2D($0, epsilon: 1e-3) }, generator: &rng)
            randomizeBatchNorms(block, seed: 22)
            let model = Sequential(block)  // a block inside a model: the model itself is never chunked
            model.eval()
            let input = Tensor.normal([5, inputs, 112, 112], generator: &rng)
            let fused = model.fusedForInference()
            #expect(relativeError(fused(input), unfusedForward(model, input)) <= 1e-5, "stride \(stride)")
            #expect(fused.plannedFusions(imageShape: [inputs, 112, 112]).contains("0: in batch chunks"))
        }
    }

    @Test func mobileNetV2FusedEqualsUnfused() {
        let model = MobileNetV2(inputChannels: 1, classCount: 4, configuration: .init(widthMultiplier: 0.5), seed: 6)
        expectFusedEqualsUnfused(model, input: [2, 1, 48, 40], seed: 23)
    }
}
