import FathomTestSupport
import Testing
import Tensor
import Layers

/// Batch norm with a fused activation: the same values and gradients as the two ops one after
/// the other, while keeping only the input for the backward pass.
@Suite struct BatchNormActivationTests {
    private struct Case: CustomTestStringConvertible, Sendable {
        let activation: FusedActivation
        let training: Bool
        var testDescription: String { "\(activation), \(training ? "training" : "evaluation")" }
    }

    private static func activated(_ x: Tensor, _ activation: FusedActivation) -> Tensor {
        activation == .relu ? x.relu() : x.relu6()
    }

    private static let cases = [FusedActivation.relu, .relu6].flatMap { a in [true, false].map { Case(activation: a, training: $0) } }

    /// Inputs spread so that the normalized values cross both of ReLU6's kinks.
    private func inputs(seed: UInt64) -> (x: Tensor, gamma: Tensor, beta: Tensor, mean: Tensor, variance: Tensor) {
        var generator = RandomGenerator(seed: seed)
        return (Tensor.uniform([4, 3, 5, 6], low: -3, high: 9, generator: &generator),
                Tensor.uniform([3], low: 0.5, high: 4, generator: &generator),
                Tensor.uniform([3], low: -1, high: 3, generator: &generator),
                Tensor.uniform([3], low: 0, high: 4, generator: &generator),
                Tensor.uniform([3], low: 0.5, high: 6, generator: &generator))
    }

    @Test("outputs and gradients equal the unfused ops exactly", arguments: cases)
    private func matchesUnfusedOps(_ c: Case) {
        expectFusedEqualsUnfused(c, inputSeed: 31, shortcut: nil)
    }

    /// Runs the fused op and the unfused ops (batch norm, then the sum with `shortcut` when
    /// given, then the activation) on the same inputs and expects the same outputs and the same
    /// gradients for every input, bit for bit.
    private func expectFusedEqualsUnfused(_ c: Case, inputSeed: UInt64, shortcut: Tensor?,
                                          sourceLocation: SourceLocation = #_sourceLocation) {
        let (x, gamma, beta, mean, variance) = inputs(seed: inputSeed)
        func run(fused: Bool) -> (output: Tensor, gradients: [Tensor?]) {
            let leaves = ([x, gamma, beta] + (shortcut.map { [$0] } ?? [])).map { $0.requiringGradient() }
            let residual = shortcut == nil ? nil : leaves[3]
            let output: Tensor
            if fused {
                output = batchNorm(leaves[0], runningMean: mean, runningVariance: variance, weight: leaves[1], bias: leaves[2],
                                   training: c.training, activation: c.activation, adding: residual).output
            } else {
                let normalized = batchNorm(leaves[0], runningMean: mean, runningVariance: variance, weight: leaves[1],
                                           bias: leaves[2], training: c.training).output
                output = Self.activated(residual.map { normalized + $0 } ?? normalized, c.activation)
            }
            var generator = RandomGenerator(seed: 5)
            let seed = Tensor.uniform(output.shape, low: -1, high: 1, generator: &generator)
            return (output.detached(), output.gradients(withRespectTo: leaves, seed: seed))
        }
        let (fused, unfused) = (run(fused: true), run(fused: false))
        let clamped = fused.output.scalars.filter { $0 == 0 || $0 == 6 }.count
        #expect(clamped > 20 && clamped < 300, "the inputs should exercise the activation's kinks (\(clamped) clamped)",
                sourceLocation: sourceLocation)
        #expect(fused.output.scalars == unfused.output.scalars, sourceLocation: sourceLocation)
        for (name, (a, b)) in zip(["input", "weight", "bias", "residual"], zip(fused.gradients, unfused.gradients)) {
            #expect(a != nil && a?.scalars == b?.scalars, "\(name) gradient", sourceLocation: sourceLocation)
        }
    }

    @Test("gradients match finite differences", arguments: cases)
    private func gradientsMatchFiniteDifferences(_ c: Case) {
        // Values kept away from the kinks, where finite differences straddle them.
        var generator = RandomGenerator(seed: 32)
        let x = Tensor.uniform([3, 2, 4, 3], low: -2, high: 2, generator: &generator)
        let gamma = Tensor([1.5, 2.5]), beta = Tensor([0.3, 4])
        let mean = Tensor([0.2, -0.1]), variance = Tensor([1.2, 0.8])
        checkGradients(of: { t in
            batchNorm(t[0], runningMean: mean, runningVariance: variance, weight: t[1], bias: t[2],
                      training: c.training, activation: c.activation).output
        }, at: [x, gamma, beta], tolerance: .relativeToLargest(epsilon: 1e-3))
    }

    @Test("with a residual: outputs and gradients equal batch norm, sum and activation one after the other",
          arguments: cases)
    private func residualSumMatchesUnfusedOps(_ c: Case) {
        var generator = RandomGenerator(seed: 35)
        expectFusedEqualsUnfused(c, inputSeed: 34, shortcut: Tensor.uniform([4, 3, 5, 6], low: -4, high: 4, generator: &generator))
    }

    @Test("with a residual: gradients match finite differences", arguments: cases)
    private func residualGradientsMatchFiniteDifferences(_ c: Case) {
        var generator = RandomGenerator(seed: 36)
        let x = Tensor.uniform([3, 2, 4, 3], low: -2, high: 2, generator: &generator)
        let shortcut = Tensor.uniform([3, 2, 4, 3], low: -1, high: 1, generator: &generator)
        let gamma = Tensor([1.5, 2.5]), beta = Tensor([0.3, 4])
        let mean = Tensor([0.2, -0.1]), variance = Tensor([1.2, 0.8])
        checkGradients(of: { t in
            batchNorm(t[0], runningMean: mean, runningVariance: variance, weight: t[1], bias: t[2],
                      training: c.training, activation: c.activation, adding: t[3]).output
        }, at: [x, gamma, beta, shortcut], tolerance: .relativeToLargest(epsilon: 1e-3))
    }

    @Test("the fused op keeps its input only: the activation's output is freed when nothing else holds it")
    func keepsOnlyItsInput() {
        let (x, gamma, beta, mean, variance) = inputs(seed: 33)
        let leaf = x.requiringGradient()
        func pooledOutputIsFreed(fused: Bool) -> Bool {
            weak var watched: TensorStorage?
            let pooled: Tensor
            do {
                let normalized = fused
                    ? batchNorm(leaf, runningMean: mean, runningVariance: variance, weight: gamma, bias: beta, training: true,
                                activation: .relu).output
                    : batchNorm(leaf, runningMean: mean, runningVariance: variance, weight: gamma, bias: beta,
                                training: true).output.relu()
                watched = normalized.storageReference
                pooled = maxPool2d(normalized, kernelSize: (2, 2))  // keeps the positions of the maxima only
            }
            defer { pooled.sum().backward() }
            return watched == nil
        }
        #expect(pooledOutputIsFreed(fused: true))
        #expect(!pooledOutputIsFreed(fused: false))  // ReLU keeps its output for its derivative
    }

    @Test("with a residual, the op does not keep the residual (a projected shortcut is freed)")
    func doesNotKeepTheResidual() {
        let (x, gamma, beta, mean, variance) = inputs(seed: 37)
        let leaf = x.requiringGradient()
        weak var watched: TensorStorage?
        let output: Tensor
        do {
            let shortcut = leaf * 0.5  // a result of its own, like a downsample branch's batch norm
            watched = shortcut.storageReference
            output = batchNorm(leaf, runningMean: mean, runningVariance: variance, weight: gamma, bias: beta, training: true,
                               activation: .relu, adding: shortcut).output
        }
        #expect(watched == nil)
        output.sum().backward()
        #expect(leaf.grad != nil)
    }
}
