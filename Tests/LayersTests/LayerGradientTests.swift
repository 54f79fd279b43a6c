import Testing
import Tensor
import Layers

/// Gradients reach every parameter of composed layers through the Parameter leaves: the tape's
/// gradient of a weighted sum of outputs matches central finite differences over each
/// parameter scalar (computed in Double from Float evaluations).
@Suite struct LayerGradientTests {
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
        let input = Tensor.normal([4, 2, 5, 5], generator: &rng)
        checkParameterGradients(of: { model(input) }, in: model)
    }

    @Test func residualBlocksOfTheZoo() {
        var rng = RandomGenerator(seed: 2)
        let block = BasicBlock(2, 3, stride: 2, generator: &rng)
        randomizeBatchNorms(in: block, generator: &rng)
        block.eval()  // running statistics: a smooth function of the parameters
        let blockInput = Tensor.normal([2, 2, 5, 5], generator: &rng)
        checkParameterGradients(of: { block(blockInput) }, in: block)

        let mbconv = MBConvBlock(3, 3, kernelSize: 3, stride: 1, expansion: 2, padding: .tensorFlowSame,
                                 normalization: { BatchNorm2D($0) }, generator: &rng)
        randomizeBatchNorms(in: mbconv, generator: &rng)
        mbconv.eval()
        let mbconvInput = Tensor.normal([1, 3, 4, 4], generator: &rng)
        checkParameterGradients(of: { mbconv(mbconvInput) }, in: mbconv)
    }
}
