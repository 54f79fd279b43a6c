import Testing
import Tensor
import Layers

/// Gradients reach every parameter of composed layers through the Parameter leaves: the tape's
/// gradient of a weighted sum of outputs matches central finite differences over each
/// parameter scalar (computed in Double from Float evaluations).
@Suite struct LayerGradientTests {
    private func checkParameterGradients(of model: Module, input: Tensor, epsilon: Float = 1e-3,
                                         sourceLocation: SourceLocation = #_sourceLocation) {
        let outputShape = withoutGradients { model(input) }.shape
        var rng = RandomGenerator(seed: 77)
        let weights = Tensor.uniform(outputShape, low: -1, high: 1, generator: &rng)
        func objective() -> Double {
            let y = withoutGradients { model(input) }
            return zip(y.scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        model.zeroGradients()
        (model(input) * weights).sum().backward()
        for (name, parameter) in model.namedParameters() {
            guard let tape = parameter.grad?.scalars else {
                Issue.record("no gradient for \(name)", sourceLocation: sourceLocation)
                continue
            }
            for i in 0..<tape.count {
                let original = parameter.value.scalars[i]
                parameter.update { $0[i] = original + epsilon }
                let plus = objective()
                parameter.update { $0[i] = original - epsilon }
                let minus = objective()
                parameter.update { $0[i] = original }
                let numeric = (plus - minus) / (2 * Double(epsilon))
                let allowed = 2e-3 + 2e-2 * max(abs(numeric), abs(Double(tape[i])))
                #expect(abs(numeric - Double(tape[i])) <= allowed,
                        "\(name)[\(i)]: tape \(tape[i]), numeric \(numeric)", sourceLocation: sourceLocation)
            }
        }
    }

    /// Gives every batch norm generic statistics and affine parameters, as after training:
    /// fresh ones map the exact zeros of ReLU-clipped regions to exactly 0, right on the
    /// activation's kink, where finite differences and the tape legitimately disagree. (The
    /// small step of the check keeps the other pre-activations from crossing a kink.)
    private func randomizeBatchNorms(in model: Module, generator: inout RandomGenerator) {
        for case let norm as BatchNorm in model.modules() {
            let shape = [norm.featureCount]
            norm.weight?.value = Tensor.uniform(shape, low: 0.5, high: 1.5, generator: &generator)
            norm.bias?.value = Tensor.uniform(shape, low: -0.5, high: 0.5, generator: &generator)
            norm.runningMean?.value = Tensor.uniform(shape, low: -0.2, high: 0.2, generator: &generator)
            norm.runningVariance?.value = Tensor.uniform(shape, low: 0.5, high: 1.5, generator: &generator)
        }
    }

    @Test func convolutionBatchNormLinearStack() {
        var rng = RandomGenerator(seed: 1)
        let model = Sequential(Conv2D(2, 3, kernelSize: 3, padding: .same, generator: &rng), BatchNorm2D(3), Tanh(),
                               GlobalAvgPool2D(), Linear(3, 2, generator: &rng))
        checkParameterGradients(of: model, input: Tensor.normal([4, 2, 5, 5], generator: &rng))
    }

    @Test func residualBlocksOfTheZoo() {
        var rng = RandomGenerator(seed: 2)
        let block = BasicBlock(2, 3, stride: 2, generator: &rng)
        randomizeBatchNorms(in: block, generator: &rng)
        block.eval()  // running statistics: a smooth function of the parameters
        checkParameterGradients(of: block, input: Tensor.normal([2, 2, 5, 5], generator: &rng))

        let mbconv = MBConvBlock(3, 3, kernelSize: 3, stride: 1, expansion: 2, padding: .tensorFlowSame,
                                 normalization: { BatchNorm2D($0) }, generator: &rng)
        randomizeBatchNorms(in: mbconv, generator: &rng)
        mbconv.eval()
        checkParameterGradients(of: mbconv, input: Tensor.normal([1, 3, 4, 4], generator: &rng))
    }
}
