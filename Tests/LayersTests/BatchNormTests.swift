import FathomTestSupport
import Foundation
import Layers
import Tensor
import Testing

@Suite("batchNorm")
struct BatchNormTests {
    struct FixtureCase: Decodable, Sendable {
        let name: String
        let training: Bool, affine: Bool
        let momentum: Float, epsilon: Float
    }

    @Test("output and running statistics match the NumPy reference (train and eval)")
    func matchesReference() throws {
        let fixtures = try ReferenceFixtures<FixtureCase>("batch_norm")
        #expect(fixtures.cases.count >= 5)
        for c in fixtures.cases {
            let result = batchNorm(try fixtures.tensor(c.name, "input"),
                                   runningMean: try fixtures.tensor(c.name, "running_mean"),
                                   runningVariance: try fixtures.tensor(c.name, "running_var"),
                                   weight: c.affine ? try fixtures.tensor(c.name, "weight") : nil,
                                   bias: c.affine ? try fixtures.tensor(c.name, "bias") : nil,
                                   training: c.training, momentum: c.momentum, epsilon: c.epsilon)
            expectClose(result.output, try fixtures.tensor(c.name, "output"), "\(c.name) output")
            expectClose(result.updatedMean, try fixtures.tensor(c.name, "new_running_mean"), "\(c.name) running mean")
            expectClose(result.updatedVariance, try fixtures.tensor(c.name, "new_running_var"), "\(c.name) running variance")
        }
    }

    @Test("gradients match finite differences in training mode (batch statistics depend on the input)",
          arguments: [[6, 3], [3, 2, 3, 4], [4, 2, 5]])
    func trainingGradients(shape: [Int]) {
        var generator = RandomGenerator(seed: 21)
        let channels = shape[1]
        let x = Tensor.uniform(shape, low: -2, high: 2, generator: &generator)
        let gamma = Tensor.uniform([channels], low: 0.5, high: 1.5, generator: &generator)
        let beta = Tensor.uniform([channels], low: -1, high: 1, generator: &generator)
        let mean = Tensor.zeros([channels]), variance = Tensor.ones([channels])
        checkGradients(of: { t in
            batchNorm(t[0], runningMean: mean, runningVariance: variance, weight: t[1], bias: t[2], training: true).output
        }, at: [x, gamma, beta], tolerance: .relativeToLargest(epsilon: 5e-3))
        checkGradient(of: { x in
            batchNorm(x, runningMean: mean, runningVariance: variance, weight: nil, bias: nil, training: true).output
        }, at: x, tolerance: .relativeToLargest(epsilon: 5e-3))
    }

    @Test("gradients match finite differences in evaluation mode")
    func evaluationGradients() {
        var generator = RandomGenerator(seed: 22)
        let x = Tensor.uniform([2, 3, 3, 2], low: -2, high: 2, generator: &generator)
        let gamma = Tensor.uniform([3], low: 0.5, high: 1.5, generator: &generator)
        let beta = Tensor.uniform([3], low: -1, high: 1, generator: &generator)
        let mean = Tensor.uniform([3], low: -1, high: 1, generator: &generator)
        let variance = Tensor.uniform([3], low: 0.5, high: 2, generator: &generator)
        checkGradients(of: { t in
            batchNorm(t[0], runningMean: mean, runningVariance: variance, weight: t[1], bias: t[2], training: false,
                      epsilon: 1e-3).output
        }, at: [x, gamma, beta], tolerance: .relativeToLargest())
    }

    @Test("running statistics after k training steps follow the closed form, and evaluation uses them")
    func runningStatistics() {
        var generator = RandomGenerator(seed: 23)
        let x = Tensor.uniform([5, 2, 3, 3], low: -1, high: 3, generator: &generator)
        let gamma = Tensor([1.5, 0.5]), beta = Tensor([0.25, -1])
        let momentum: Float = 0.2, steps = 6
        var mean = Tensor([0.5, -0.5]), variance = Tensor([2, 0.5])
        let (initialMean, initialVariance) = (mean.scalars, variance.scalars)
        for _ in 0..<steps {
            let result = batchNorm(x, runningMean: mean, runningVariance: variance, weight: gamma, bias: beta,
                                   training: true, momentum: momentum)
            (mean, variance) = (result.updatedMean, result.updatedVariance)
        }
        // Same batch every step: m_k = (1 − α)^k·m_0 + (1 − (1 − α)^k)·μ, with the unbiased variance.
        let decay = pow(1 - Double(momentum), Double(steps))
        let values = x.scalars
        var expectedOutput = [Float](repeating: 0, count: values.count)
        for c in 0..<2 {
            let indices = (0..<values.count).filter { ($0 / 9) % 2 == c }
            let batchMean = indices.reduce(0.0) { $0 + Double(values[$1]) } / Double(indices.count)
            let squares = indices.reduce(0.0) { $0 + pow(Double(values[$1]) - batchMean, 2) }
            let unbiased = squares / Double(indices.count - 1)
            let m = decay * Double(initialMean[c]) + (1 - decay) * batchMean
            let v = decay * Double(initialVariance[c]) + (1 - decay) * unbiased
            #expect(abs(Double(mean.scalars[c]) - m) <= 1e-5 * max(1, abs(m)), "running mean of channel \(c)")
            #expect(abs(Double(variance.scalars[c]) - v) <= 1e-5 * max(1, abs(v)), "running variance of channel \(c)")
            for i in indices {
                let normalized = (Double(values[i]) - m) / (v + 1e-5).squareRoot()
                expectedOutput[i] = Float(normalized * Double(gamma.scalars[c]) + Double(beta.scalars[c]))
            }
        }
        let evaluation = batchNorm(x, runningMean: mean, runningVariance: variance, weight: gamma, bias: beta, training: false)
        expectClose(evaluation.output, Tensor(shape: x.shape, scalars: expectedOutput), "evaluation output")
        #expect(evaluation.updatedMean.scalars == mean.scalars && evaluation.updatedVariance.scalars == variance.scalars)
    }

    @Test("training output has zero mean and unit (biased) variance per channel")
    func normalizes() {
        var generator = RandomGenerator(seed: 24)
        let x = Tensor.normal([16, 4, 5, 5], mean: 3, standardDeviation: 2, generator: &generator)
        let y = batchNorm(x, runningMean: Tensor.zeros([4]), runningVariance: Tensor.ones([4]), weight: nil, bias: nil,
                          training: true, epsilon: 0).output
        let mean = y.mean(alongAxes: [0, 2, 3])
        let variance = y.variance(alongAxes: [0, 2, 3], correction: 0)
        #expect(mean.scalars.allSatisfy { abs($0) < 1e-5 })
        #expect(variance.scalars.allSatisfy { abs($0 - 1) < 1e-4 })
    }

    @Test("statistics stay accurate for a large offset (two-pass variance) and a parallel channel split")
    func largeOffset() {
        var generator = RandomGenerator(seed: 25)
        let x = Tensor.uniform([32, 64, 8, 8], low: 999, high: 1001, generator: &generator)
        let result = batchNorm(x, runningMean: Tensor.zeros([64]), runningVariance: Tensor.zeros([64]), weight: nil,
                               bias: nil, training: true, momentum: 1)
        // Uniform on [999, 1001]: mean ≈ 1000, variance ≈ 1/3 (n = 2048 per channel).
        #expect(result.updatedMean.scalars.allSatisfy { abs($0 - 1000) < 0.05 })
        #expect(result.updatedVariance.scalars.allSatisfy { abs($0 - 1.0 / 3) < 0.05 })
        let variance = result.output.variance(alongAxes: [0, 2, 3], correction: 0)
        #expect(variance.scalars.allSatisfy { abs($0 - 1) < 1e-3 })
    }
}
