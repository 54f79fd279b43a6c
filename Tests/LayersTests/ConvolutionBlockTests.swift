import FathomTestSupport
import Layers
import Tensor
import Testing

/// Convolutions over small feature maps run several images per GEMM (their column matrices
/// side by side). Every such batched result must equal the same convolution run image by image,
/// which takes the one-image path: outputs, input gradients and summed weight and bias gradients.
@Suite("conv2d image blocks")
struct ConvolutionBlockTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let batch: Int, channels: Int, outChannels: Int, size: Int, kernel: Int, stride: Int, padding: Int, groups: Int
        let bias: Bool
        var testDescription: String {
            "N\(batch) C\(channels)→\(outChannels) \(size)×\(size) k\(kernel) s\(stride) p\(padding) g\(groups)\(bias ? " bias" : "")"
        }
    }

    static let cases: [Case] = [
        Case(batch: 33, channels: 8, outChannels: 12, size: 7, kernel: 3, stride: 1, padding: 1, groups: 1, bias: true),
        Case(batch: 19, channels: 6, outChannels: 10, size: 5, kernel: 3, stride: 2, padding: 1, groups: 2, bias: false),
        Case(batch: 21, channels: 16, outChannels: 24, size: 3, kernel: 1, stride: 1, padding: 0, groups: 1, bias: true),  // pointwise
        Case(batch: 9, channels: 4, outChannels: 6, size: 13, kernel: 3, stride: 1, padding: 0, groups: 1, bias: true),   // 11×11 maps
        Case(batch: 7, channels: 5, outChannels: 3, size: 4, kernel: 2, stride: 2, padding: 0, groups: 1, bias: false),   // 2×2 maps
    ]

    @Test("a batch of small maps equals its images one by one", arguments: cases)
    func batchedEqualsSingle(_ c: Case) throws {
        var generator = RandomGenerator(seed: UInt64(c.batch * 31 + c.size))
        let input = Tensor.normal([c.batch, c.channels, c.size, c.size], generator: &generator)
        let weight = Tensor.normal([c.outChannels, c.channels / c.groups, c.kernel, c.kernel], standardDeviation: 0.3,
                                   generator: &generator)
        let bias = c.bias ? Tensor.normal([c.outChannels], generator: &generator) : nil
        func convolve(_ x: Tensor, _ w: Tensor, _ b: Tensor?) -> Tensor {
            conv2d(x, weight: w, bias: b, stride: (c.stride, c.stride), padding: .symmetric(c.padding), groups: c.groups)
        }

        let x = input.requiringGradient(), w = weight.requiringGradient(), b = bias?.requiringGradient()
        let y = convolve(x, w, b)
        let seed = Tensor.normal(y.shape, generator: &generator)
        y.backward(seed)

        var weightGradient = Tensor.zeros(weight.shape), biasGradient = Tensor.zeros([c.outChannels])
        for n in 0..<c.batch {
            let xn = input.slice(alongAxis: 0, start: n, end: n + 1).requiringGradient()
            let wn = weight.requiringGradient(), bn = bias?.requiringGradient()
            let yn = convolve(xn, wn, bn)
            let expected = y.detached().slice(alongAxis: 0, start: n, end: n + 1)
            #expect(yn.maxAbsoluteDifference(expected) <= 1e-4, "output of image \(n)")
            yn.backward(seed.slice(alongAxis: 0, start: n, end: n + 1))
            let gx = try #require(x.grad).slice(alongAxis: 0, start: n, end: n + 1)
            #expect(try #require(xn.grad).maxAbsoluteDifference(gx) <= 1e-4, "input gradient of image \(n)")
            weightGradient.addInPlace(try #require(wn.grad))
            if let bn { biasGradient.addInPlace(try #require(bn.grad)) }
        }
        let scale = max(1, weightGradient.scalars.map(abs).max() ?? 0)
        #expect(try #require(w.grad).maxAbsoluteDifference(weightGradient) / scale <= 1e-4)
        if let b { #expect(try #require(b.grad).maxAbsoluteDifference(biasGradient) <= 1e-3) }
    }

    @Test("gradients of a blocked convolution match finite differences")
    func gradients() {
        var generator = RandomGenerator(seed: 5)
        let x = Tensor.normal([5, 3, 4, 5], generator: &generator)
        let w = Tensor.normal([4, 3, 3, 3], standardDeviation: 0.3, generator: &generator)
        let b = Tensor.normal([4], generator: &generator)
        checkGradients(of: { conv2d($0[0], weight: $0[1], bias: $0[2], padding: .symmetric(1)) }, at: [x, w, b], tolerance: .relativeToLargest())
    }
}
