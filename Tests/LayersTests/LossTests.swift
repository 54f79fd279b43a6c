import FathomTestSupport
import Foundation
import Layers
import Tensor
import Testing

@Suite("losses")
struct LossTests {
    struct CrossEntropyCase: Decodable, Sendable {
        let name: String
        let weighted: Bool
        let labelSmoothing: Float
        let reduction: String
    }

    struct BinaryCase: Decodable, Sendable {
        let name: String
        let posWeight: Bool
        let reduction: String
    }

    struct SquaredCase: Decodable, Sendable {
        let name: String
        let reduction: String
    }

    struct UnknownReduction: Error { let name: String }

    /// The reduction called `name` in the fixtures (PyTorch's spelling).
    static func reduction(_ name: String) throws -> LossReduction {
        switch name {
        case "mean": return .mean
        case "sum": return .sum
        case "none": return .none
        default: throw UnknownReduction(name: name)
        }
    }

    @Test("crossEntropy matches the NumPy reference (class weights, label smoothing, reductions)")
    func crossEntropyReference() throws {
        let fixtures = try ReferenceFixtures<CrossEntropyCase>("cross_entropy")
        #expect(fixtures.cases.count >= 9)
        for c in fixtures.cases {
            let labels = try fixtures.tensor(c.name, "labels").scalars.map { Int($0) }
            let loss = crossEntropy(logits: try fixtures.tensor(c.name, "logits"), labels: labels,
                                    classWeights: c.weighted ? try fixtures.tensor(c.name, "weights") : nil,
                                    labelSmoothing: c.labelSmoothing, reduction: try Self.reduction(c.reduction))
            expectClose(loss, try fixtures.tensor(c.name, "output"), c.name)
        }
    }

    @Test("binaryCrossEntropy matches the NumPy reference (positive weights, extreme logits)")
    func binaryReference() throws {
        let fixtures = try ReferenceFixtures<BinaryCase>("binary_cross_entropy")
        #expect(fixtures.cases.count >= 6)
        for c in fixtures.cases {
            let loss = binaryCrossEntropy(logits: try fixtures.tensor(c.name, "logits"),
                                          targets: try fixtures.tensor(c.name, "targets"),
                                          positiveWeight: c.posWeight ? try fixtures.tensor(c.name, "pos_weight") : nil,
                                          reduction: try Self.reduction(c.reduction))
            expectClose(loss, try fixtures.tensor(c.name, "output"), c.name)
        }
    }

    @Test("meanSquaredError matches the NumPy reference")
    func squaredReference() throws {
        let fixtures = try ReferenceFixtures<SquaredCase>("mse")
        #expect(fixtures.cases.count == 3)
        for c in fixtures.cases {
            let loss = meanSquaredError(try fixtures.tensor(c.name, "prediction"), try fixtures.tensor(c.name, "target"),
                                        reduction: try Self.reduction(c.reduction))
            expectClose(loss, try fixtures.tensor(c.name, "output"), c.name)
        }
    }

    @Test("crossEntropy gradients match finite differences",
          arguments: [(false, Float(0), LossReduction.mean), (true, 0, .mean), (true, 0.2, .mean), (false, 0.1, .sum),
                      (true, 0.3, .none), (true, 0.1, .sum)])
    func crossEntropyGradients(weighted: Bool, smoothing: Float, reduction: LossReduction) {
        var generator = RandomGenerator(seed: 31)
        let logits = Tensor.uniform([5, 4], low: -2, high: 2, generator: &generator)
        let weights = weighted ? Tensor([0.5, 2, 1, 0.25]) : nil
        let labels = [0, 3, 1, 1, 2]
        checkGradient(of: { crossEntropy(logits: $0, labels: labels, classWeights: weights, labelSmoothing: smoothing,
                                         reduction: reduction) }, at: logits, tolerance: .relativeToLargest())
    }

    @Test("crossEntropy is stable for huge logits and agrees with logSoftmax for the plain case")
    func crossEntropyStability() {
        let logits = Tensor(shape: [2, 3], scalars: [1000, 0, -1000, -500, 500, 499])
        let losses = crossEntropy(logits: logits, labels: [0, 2], reduction: .none).scalars
        #expect(losses[0] == 0)
        #expect(abs(losses[1] - Float(1 + log1p(exp(-1.0)))) < 1e-5)  // 500 + log(1 + e⁻¹) − 499

        var generator = RandomGenerator(seed: 32)
        let x = Tensor.uniform([4, 6], low: -3, high: 3, generator: &generator)
        let labels = [5, 0, 2, 2]
        let picked = -x.logSoftmax(alongAxis: 1).gathering(alongAxis: 1, indices: Tensor(shape: [4, 1], scalars: labels.map(Float.init)))
        expectClose(crossEntropy(logits: x, labels: labels), picked.mean(), tolerance: 1e-6, "mean of −log p_y")
    }

    @Test("binaryCrossEntropy gradients match finite differences for logits, targets and positive weights",
          arguments: [(false, LossReduction.mean), (true, .mean), (true, .sum), (true, .none)])
    func binaryGradients(positiveWeight: Bool, reduction: LossReduction) {
        var generator = RandomGenerator(seed: 33)
        let logits = Tensor.uniform([4, 3], low: -3, high: 3, generator: &generator)
        let targets = Tensor.uniform([4, 3], low: 0, high: 1, generator: &generator)
        var inputs = [logits, targets]
        if positiveWeight { inputs.append(Tensor([0.5, 2, 3])) }
        checkGradients(of: { t in
            binaryCrossEntropy(logits: t[0], targets: t[1], positiveWeight: t.count > 2 ? t[2] : nil, reduction: reduction)
        }, at: inputs, tolerance: .relativeToLargest())
    }

    @Test("binaryCrossEntropy stays finite with exact gradients for extreme logits")
    func binaryStability() throws {
        let logits = Tensor([200, -200, 90, -90]).requiringGradient()
        let targets = Tensor([1, 0, 0, 1])
        let losses = binaryCrossEntropy(logits: logits, targets: targets, reduction: .none)
        #expect(losses.scalars == [0, 0, 90, 90])
        losses.sum().backward()
        // d/dx = σ(x) − t: 0, 0, 1, −1.
        #expect(try #require(logits.grad).scalars == [0, 0, 1, -1])
    }

    @Test("meanSquaredError gradients match finite differences", arguments: [LossReduction.mean, .sum, .none])
    func squaredGradients(reduction: LossReduction) {
        var generator = RandomGenerator(seed: 34)
        let a = Tensor.uniform([3, 4], low: -1, high: 1, generator: &generator)
        let b = Tensor.uniform([3, 4], low: -1, high: 1, generator: &generator)
        checkGradients(of: { t in meanSquaredError(t[0], t[1], reduction: reduction) }, at: [a, b], tolerance: .relativeToLargest())
    }

    @Test("reductions: mean and sum give rank-0 tensors, none one loss per sample or element")
    func reductionShapes() {
        let logits = Tensor.zeros([3, 4])
        #expect(crossEntropy(logits: logits, labels: [0, 1, 2]).shape == [])
        #expect(crossEntropy(logits: logits, labels: [0, 1, 2], reduction: .none).shape == [3])
        #expect(binaryCrossEntropy(logits: logits, targets: logits, reduction: .sum).shape == [])
        #expect(binaryCrossEntropy(logits: logits, targets: logits, reduction: .none).shape == [3, 4])
        #expect(meanSquaredError(logits, logits, reduction: .none).shape == [3, 4])
        // Uniform logits over 4 classes: every sample loses log 4.
        #expect(abs(crossEntropy(logits: logits, labels: [0, 1, 2], reduction: .sum).scalar - 3 * log(4)) < 1e-5)
    }
}
