import Testing
import Tensor
import Layers

/// Sample mean and standard deviation, in Double.
private func moments(_ t: Tensor) -> (mean: Double, standardDeviation: Double) {
    let values = t.scalars.map(Double.init)
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return (mean, variance.squareRoot())
}

@Suite struct InitializerTests {
    @Test func fansFollowPyTorch() {
        #expect(Initializer.fans(of: [16, 4, 3, 3]) == (fanIn: 36, fanOut: 144))
        #expect(Initializer.fans(of: [10, 20]) == (fanIn: 20, fanOut: 10))
    }

    @Test func gainsFollowPyTorch() {
        #expect(Nonlinearity.relu.gain == Float(2).squareRoot())
        #expect(Nonlinearity.tanh.gain == Float(5) / 3)
        #expect(Nonlinearity.linear.gain == 1)
        #expect(abs(Nonlinearity.leakyRelu(negativeSlope: 0.2).gain - (2 / 1.04 as Float).squareRoot()) < 1e-6)
    }

    @Test func kaimingNormalHasTheVariancePreservingDeviation() {
        var rng = RandomGenerator(seed: 1)
        let shape = [256, 64, 3, 3]
        let fanOut = Initializer.kaimingNormal(mode: .fanOut, nonlinearity: .relu).tensor(shape: shape, generator: &rng)
        let (mean, std) = moments(fanOut)
        let expected = 2.0.squareRoot() / (256.0 * 9).squareRoot()
        #expect(abs(std / expected - 1) < 0.02, "std \(std), expected \(expected)")
        #expect(abs(mean) < 4 * expected / Double(fanOut.scalarCount).squareRoot())

        let fanIn = Initializer.kaimingNormal(nonlinearity: .relu).tensor(shape: shape, generator: &rng)
        #expect(abs(moments(fanIn).standardDeviation / (2.0 / (64.0 * 9)).squareRoot() - 1) < 0.02)
    }

    @Test func kaimingUniformIsBoundedByTheDeviationTimesRootThree() {
        var rng = RandomGenerator(seed: 2)
        let t = Initializer.kaimingUniform().tensor(shape: [128, 256], generator: &rng)
        let bound = Float((6.0 / 256).squareRoot())
        let values = t.scalars
        #expect(values.allSatisfy { abs($0) <= bound })
        #expect(values.map(abs).max()! > 0.99 * bound)
        #expect(abs(moments(t).standardDeviation / (Double(bound) / 3.0.squareRoot()) - 1) < 0.02)
    }

    @Test func layersDefaultToPyTorchsUniformInOneOverRootFanIn() {
        var rng = RandomGenerator(seed: 3)
        let linear = Linear(100, 50, generator: &rng)
        for t in [linear.weight.value, linear.bias!.value] {
            #expect(t.scalars.allSatisfy { abs($0) <= 0.1 })
            #expect(t.scalars.map(abs).max()! > 0.09)
        }
        #expect(abs(moments(linear.weight.value).standardDeviation / (0.1 / 3.0.squareRoot()) - 1) < 0.03)

        let conv = Conv2D(8, 16, kernelSize: 3, groups: 2, generator: &rng)  // fanIn = 8/2 · 9 = 36
        #expect(conv.weight.shape == [16, 4, 3, 3])
        #expect(conv.weight.value.scalars.allSatisfy { abs($0) <= 1.0 / 6 })
        #expect(conv.bias!.value.scalars.allSatisfy { abs($0) <= 1.0 / 6 })
        #expect(conv.weight.value.scalars.map(abs).max()! > 0.15)
    }

    @Test func xavierUsesBothFans() {
        var rng = RandomGenerator(seed: 4)
        let uniform = Initializer.xavierUniform().tensor(shape: [300, 200], generator: &rng)
        let bound = Float((6.0 / 500).squareRoot())
        #expect(uniform.scalars.allSatisfy { abs($0) <= bound })
        #expect(uniform.scalars.map(abs).max()! > 0.99 * bound)
        let normal = Initializer.xavierNormal(gain: 2).tensor(shape: [300, 200], generator: &rng)
        #expect(abs(moments(normal).standardDeviation / (2 * (2.0 / 500).squareRoot()) - 1) < 0.02)
    }

    @Test(arguments: [[64, 128], [128, 64], [16, 4, 3, 3], [32, 32]])
    func orthogonalRowsOrColumnsAreOrthonormal(shape: [Int]) {
        var rng = RandomGenerator(seed: 5)
        let gain: Float = 1.5
        let w = Initializer.orthogonal(gain: gain).tensor(shape: shape, generator: &rng)
        #expect(w.shape == shape)
        let rows = shape[0], cols = shape.dropFirst().reduce(1, *)
        let matrix = w.reshaped(to: [rows, cols]) / gain
        // The smaller Gram matrix is the identity.
        let gram = rows <= cols ? Tensor.matmul(matrix, matrix, transposingB: true)
                                : Tensor.matmul(matrix, matrix, transposingA: true)
        #expect(gram.isAlmostEqual(to: Tensor.eye(min(rows, cols)), tolerance: 1e-4))
    }

    @Test func constantsAndDeterminism() {
        var a = RandomGenerator(seed: 6), b = RandomGenerator(seed: 6), c = RandomGenerator(seed: 7)
        #expect(Initializer.ones.tensor(shape: [3], generator: &a).scalars == [1, 1, 1])
        #expect(Initializer.constant(0.5).tensor(shape: [2], generator: &a).scalars == [0.5, 0.5])
        let x = Initializer.kaimingNormal().tensor(shape: [8, 8], generator: &a)
        _ = Initializer.ones.tensor(shape: [3], generator: &b)
        _ = Initializer.constant(0.5).tensor(shape: [2], generator: &b)
        #expect(Initializer.kaimingNormal().tensor(shape: [8, 8], generator: &b).scalars == x.scalars)
        #expect(Initializer.kaimingNormal().tensor(shape: [8, 8], generator: &c).scalars != x.scalars)
    }

    @Test func zooConvolutionsUseKaimingFanOutAndBatchNormStartsAtIdentity() {
        let model = ResNet.resnet18()
        let weight = model.layer4[0] as! BasicBlock
        let std = moments(weight.conv2.weight.value).standardDeviation
        #expect(abs(std / (2.0 / (512.0 * 9)).squareRoot() - 1) < 0.02)
        #expect(weight.bn1.weight!.value.scalars.allSatisfy { $0 == 1 })
        #expect(weight.bn1.bias!.value.scalars.allSatisfy { $0 == 0 })
        #expect(weight.bn1.runningMean!.value.scalars.allSatisfy { $0 == 0 })
        #expect(weight.bn1.runningVariance!.value.scalars.allSatisfy { $0 == 1 })
    }
}
