import Dispatch
import Foundation
import Testing
import Tensor
import Layers

/// The layers are thin: each test checks a layer against its definition, computed here
/// independently (or against the functional core it wraps), and its module behaviour.
@Suite struct LayerTests {
    @Test func linearComputesXWTransposePlusB() {
        var rng = RandomGenerator(seed: 1)
        let layer = Linear(3, 2, generator: &rng)
        let x = Tensor.normal([4, 3], generator: &rng)
        let (w, b, xs) = (layer.weight.value.scalars, layer.bias!.value.scalars, x.scalars)
        var expected = [Float]()
        for n in 0..<4 {
            for o in 0..<2 { expected.append(b[o] + (0..<3).reduce(0) { $0 + xs[n * 3 + $1] * w[o * 3 + $1] }) }
        }
        #expect(withoutGradients { layer(x) }.isAlmostEqual(to: Tensor(shape: [4, 2], scalars: expected), tolerance: 1e-5))
        // Leading axes are kept.
        let y = withoutGradients { layer(x.reshaped(to: [2, 2, 3])) }
        #expect(y.shape == [2, 2, 2])
        #expect(y.reshaped(to: [4, 2]).isAlmostEqual(to: Tensor(shape: [4, 2], scalars: expected), tolerance: 1e-5))
        #expect(Linear(3, 2, bias: false, generator: &rng).namedParameters().map(\.name) == ["weight"])
    }

    @Test func conv2DWrapsTheFunctionalConvolution() {
        var rng = RandomGenerator(seed: 2)
        let layer = Conv2D(4, 6, kernelSize: (3, 1), stride: (2, 1), padding: .symmetric(1, 0), groups: 2, generator: &rng)
        #expect(layer.weight.shape == [6, 2, 3, 1])
        #expect(layer.inputChannels == 4 && layer.outputChannels == 6 && layer.kernelSize == (3, 1))
        let x = Tensor.normal([2, 4, 7, 5], generator: &rng)
        let expected = conv2d(x, weight: layer.weight.value, bias: layer.bias?.value, stride: (2, 1),
                              padding: .symmetric(1, 0), groups: 2)
        #expect(withoutGradients { layer(x) }.isAlmostEqual(to: expected, tolerance: 0))
        #expect(expected.shape == [2, 6, 4, 5])
        let same = Conv2D(4, 4, kernelSize: 3, stride: 2, padding: .same, groups: 4, bias: false, generator: &rng)
        #expect(withoutGradients { same(Tensor.zeros([1, 4, 8, 9])) }.shape == [1, 4, 4, 5])
    }

    @Test func batchNormTrainingUpdatesRunningStatisticsLikePyTorch() {
        var rng = RandomGenerator(seed: 3)
        let layer = BatchNorm2D(2, momentum: 0.2)
        let x = Tensor.normal([3, 2, 2, 2], mean: 2, standardDeviation: 3, generator: &rng)
        let y = withoutGradients { layer(x) }
        // Per channel: batch mean, unbiased variance over N·H·W = 12 values.
        let values = x.scalars.map(Double.init), outputs = y.scalars
        for c in 0..<2 {
            var channel: [Double] = [], produced: [Float] = []
            for n in 0..<3 {
                for i in 0..<4 {
                    channel.append(values[(n * 2 + c) * 4 + i])
                    produced.append(outputs[(n * 2 + c) * 4 + i])
                }
            }
            let mean = channel.reduce(0, +) / 12
            let sumOfSquares = channel.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
            let runningMean = Double(layer.runningMean!.value[c])
            let runningVariance = Double(layer.runningVariance!.value[c])
            #expect(abs(runningMean - 0.2 * mean) < 1e-5)
            #expect(abs(runningVariance - (0.8 + 0.2 * sumOfSquares / 11)) < 1e-4)
            // The output is normalized with the biased batch variance.
            let deviation = (sumOfSquares / 12 + 1e-5).squareRoot()
            for (value, output) in zip(channel, produced) {
                #expect(abs(Double(output) - (value - mean) / deviation) < 1e-4)
            }
        }
    }

    @Test func batchNormEvalUsesRunningStatisticsAndAffineParameters() {
        var rng = RandomGenerator(seed: 4)
        let layer = BatchNorm1D(3, epsilon: 1e-3)
        layer.runningMean!.value = Tensor([1, 2, 3])
        layer.runningVariance!.value = Tensor([4, 9, 16])
        layer.weight!.value = Tensor([2, 2, 2])
        layer.bias!.value = Tensor([0, 1, -1])
        layer.eval()
        let x = Tensor.normal([5, 3], generator: &rng)
        let expected = (x - Tensor([1, 2, 3])) / (Tensor([4, 9, 16]) + 1e-3).sqrt() * 2 + Tensor([0, 1, -1])
        #expect(withoutGradients { layer(x) }.isAlmostEqual(to: expected, tolerance: 1e-5))
        #expect(layer.runningMean!.value.scalars == [1, 2, 3])  // eval never updates

        // Without running statistics, even eval mode normalizes with the batch's own.
        let stateless = BatchNorm1D(3, affine: false, tracksRunningStatistics: false)
        stateless.eval()
        let z = withoutGradients { stateless(x) }
        #expect(z.mean(alongAxes: [0]).isAlmostEqual(to: Tensor.zeros([3]), tolerance: 1e-5))
        #expect(stateless.parameterCount == 0)
    }

    @Test func dropoutIsSeededAdvancesAndRescales() {
        let x = Tensor.ones([1000])
        let a = Dropout(probability: 0.3, seed: 9), b = Dropout(probability: 0.3, seed: 9)
        let first = withoutGradients { a(x) }, again = withoutGradients { b(x) }
        #expect(first.scalars == again.scalars)  // same seed, same mask
        #expect(withoutGradients { a(x) }.scalars != first.scalars)  // the stream advances per call
        let kept = first.scalars.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.7) < 1e-6 })
        #expect(abs(Double(1000 - kept.count) / 1000 - 0.3) < 0.05)
        a.eval()
        #expect(withoutGradients { a(x) }.scalars == x.scalars)
    }

    @Test func poolingLayersWrapTheFunctionalPools() {
        var rng = RandomGenerator(seed: 5)
        let x = Tensor.normal([2, 3, 9, 8], generator: &rng)
        #expect(MaxPool2D(kernelSize: 3, stride: 2, padding: 1)(x)
            .isAlmostEqual(to: maxPool2d(x, kernelSize: (3, 3), stride: (2, 2), padding: (1, 1)), tolerance: 0))
        #expect(AvgPool2D(kernelSize: 2, ceilMode: true)(x)
            .isAlmostEqual(to: avgPool2d(x, kernelSize: (2, 2), ceilMode: true), tolerance: 0))
        #expect(AdaptiveAvgPool2D(outputSize: (3, 2))(x).shape == [2, 3, 3, 2])
        let pooled = GlobalAvgPool2D()(x)
        #expect(pooled.isAlmostEqual(to: x.mean(alongAxes: [2, 3]), tolerance: 1e-5))
        #expect(Flatten()(x).shape == [2, 216])
        #expect(Flatten(startAxis: 2)(x).shape == [2, 3, 72])
    }

    @Test func activationLayersApplyTheirFunctions() {
        let x = Tensor([-8, -1, 0, 0.5, 7])
        #expect(ReLU()(x).scalars == [0, 0, 0, 0.5, 7])
        #expect(ReLU6()(x).scalars == [0, 0, 0, 0.5, 6])
        #expect(LeakyReLU(negativeSlope: 0.1)(x).isAlmostEqual(to: Tensor([-0.8, -0.1, 0, 0.5, 7])))
        #expect(Sigmoid()(Tensor([0])).scalars == [0.5])
        #expect(Tanh()(x).isAlmostEqual(to: x.tanh()))
        #expect(GELU()(x).isAlmostEqual(to: x.gelu()))
        #expect(Identity()(x).scalars == x.scalars)
    }

    @Test func sequentialAndResidualCompose() {
        var rng = RandomGenerator(seed: 6)
        let linear = Linear(4, 4, generator: &rng)
        let x = Tensor.normal([3, 4], generator: &rng)
        let sequence = Sequential(linear, ReLU())
        #expect(sequence.count == 2 && sequence[0] === linear)
        #expect(withoutGradients { sequence(x) }.isAlmostEqual(to: withoutGradients { linear(x) }.relu(), tolerance: 0))
        let residual = Residual(sequence)
        #expect(withoutGradients { residual(x) }.isAlmostEqual(to: withoutGradients { sequence(x) } + x, tolerance: 1e-6))
        let projected = Residual(sequence, shortcut: linear)
        #expect(withoutGradients { projected(x) }
            .isAlmostEqual(to: withoutGradients { sequence(x) + linear(x) }, tolerance: 1e-6))
        #expect(projected.namedParameters().map(\.name) == ["body.0.weight", "body.0.bias"])  // shared once
    }

    @Test func evalInferenceIsSafeFromManyThreads() {
        let model = CompactCNN(inputChannels: 1, classCount: 2, seed: 3)
        let shared = InferenceModel(model)
        var rng = RandomGenerator(seed: 7)
        let inputs = (0..<8).map { _ in Tensor.normal([2, 1, 28, 28], generator: &rng) }
        let serial = inputs.map { shared($0) }
        let results = ResultSlots(count: inputs.count)
        DispatchQueue.concurrentPerform(iterations: inputs.count) { i in
            results.store(shared(inputs[i]), at: i)
        }
        for i in inputs.indices {
            #expect(results.value(at: i)?.isAlmostEqual(to: serial[i], tolerance: 0) == true, "thread \(i)")
        }
        #expect(!model.isTraining)
    }
}

/// Results written by concurrent workers, one slot each.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [Tensor?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func store(_ value: Tensor, at index: Int) { lock.withLock { slots[index] = value } }
    func value(at index: Int) -> Tensor? { lock.withLock { slots[index] } }
}
