import FathomTestSupport
import Foundation
import Layers
import Tensor
import Testing

@Suite("conv2d")
struct Conv2DTests {
    /// One case of `Fixtures/conv2d.json`.
    struct FixtureCase: Decodable, Sendable {
        let name: String
        let stride: [Int]
        let padding: PaddingSpec
        let dilation: [Int]
        let groups: Int
        let bias: Bool
    }

    /// `"same"` or `[top, bottom, left, right]`.
    enum PaddingSpec: Decodable, Sendable {
        case same, explicit([Int])

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let amounts = try? container.decode([Int].self) { self = .explicit(amounts) } else {
                let name = try container.decode(String.self)
                guard name == "same" else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown padding \(name)")
                }
                self = .same
            }
        }

        var padding: Padding2D {
            switch self {
            case .same: .same
            case let .explicit(p): .explicit(top: p[0], bottom: p[1], left: p[2], right: p[3])
            }
        }
    }

    @Test("forward and backward match the NumPy reference (direct convolution sum)")
    func matchesReference() throws {
        let fixtures = try ReferenceFixtures<FixtureCase>("conv2d")
        #expect(fixtures.cases.count >= 15)
        for c in fixtures.cases {
            let input = try fixtures.tensor(c.name, "input").requiringGradient()
            let weight = try fixtures.tensor(c.name, "weight").requiringGradient()
            let bias = try c.bias ? fixtures.tensor(c.name, "bias").requiringGradient() : nil
            let output = conv2d(input, weight: weight, bias: bias, stride: (c.stride[0], c.stride[1]),
                                padding: c.padding.padding, dilation: (c.dilation[0], c.dilation[1]), groups: c.groups)
            expectClose(output, try fixtures.tensor(c.name, "output"), "\(c.name) output")
            output.backward(try fixtures.tensor(c.name, "upstream"))
            expectClose(try #require(input.grad), try fixtures.tensor(c.name, "grad_input"), "\(c.name) input gradient")
            expectClose(try #require(weight.grad), try fixtures.tensor(c.name, "grad_weight"), "\(c.name) weight gradient")
            if let bias {
                expectClose(try #require(bias.grad), try fixtures.tensor(c.name, "grad_bias"), "\(c.name) bias gradient")
            }
        }
    }

    /// A convolution configuration for the finite-difference checks.
    struct Configuration: Sendable, CustomTestStringConvertible {
        let name: String
        let input: [Int], weight: [Int]
        var stride = (1, 1), padding = Padding2D.valid, dilation = (1, 1), groups = 1, bias = true
        var testDescription: String { name }
    }

    static let configurations: [Configuration] = [
        Configuration(name: "3×3 valid", input: [2, 3, 5, 5], weight: [4, 3, 3, 3]),
        Configuration(name: "3×3 stride 2, symmetric 1", input: [1, 2, 6, 5], weight: [3, 2, 3, 3], stride: (2, 2), padding: .symmetric(1)),
        Configuration(name: "asymmetric padding, stride (1, 2)", input: [1, 2, 5, 6], weight: [2, 2, 2, 3], stride: (1, 2),
                      padding: .explicit(top: 0, bottom: 2, left: 1, right: 0)),
        Configuration(name: "SAME stride 2 (asymmetric)", input: [2, 2, 6, 6], weight: [3, 2, 3, 3], stride: (2, 2), padding: .same),
        Configuration(name: "SAME 5×5 stride 2", input: [1, 2, 7, 8], weight: [2, 2, 5, 5], stride: (2, 2), padding: .same, bias: false),
        Configuration(name: "dilation (2, 1) with padding", input: [1, 2, 6, 5], weight: [2, 2, 3, 3], padding: .symmetric(2, 1), dilation: (2, 1)),
        Configuration(name: "groups 2", input: [2, 4, 5, 4], weight: [6, 2, 3, 3], padding: .symmetric(1), groups: 2),
        Configuration(name: "depthwise 3×3", input: [2, 3, 5, 5], weight: [3, 1, 3, 3], padding: .symmetric(1), groups: 3),
        Configuration(name: "depthwise SAME stride 2", input: [1, 4, 7, 6], weight: [4, 1, 3, 3], stride: (2, 2), padding: .same, groups: 4),
        Configuration(name: "depthwise multiplier 2, dilated", input: [2, 2, 6, 6], weight: [4, 1, 3, 3], padding: .symmetric(2),
                      dilation: (2, 2), groups: 2, bias: false),
        Configuration(name: "1×1 pointwise", input: [2, 4, 3, 4], weight: [3, 4, 1, 1]),
        Configuration(name: "1×1 pointwise, groups 2", input: [1, 4, 3, 3], weight: [4, 2, 1, 1], groups: 2),
        Configuration(name: "1×1 stride 2", input: [1, 3, 5, 5], weight: [2, 3, 1, 1], stride: (2, 2)),
    ]

    @Test("gradients match finite differences", arguments: configurations)
    func gradients(_ c: Configuration) {
        var generator = RandomGenerator(seed: 11)
        var inputs = [Tensor.uniform(c.input, low: -1, high: 1, generator: &generator),
                      Tensor.uniform(c.weight, low: -1, high: 1, generator: &generator)]
        if c.bias { inputs.append(Tensor.uniform([c.weight[0]], low: -1, high: 1, generator: &generator)) }
        checkGradients(of: { t in
            conv2d(t[0], weight: t[1], bias: t.count > 2 ? t[2] : nil, stride: c.stride, padding: c.padding,
                   dilation: c.dilation, groups: c.groups)
        }, at: inputs, tolerance: .relativeToLargest())
    }

    /// The largest relative differences between a batched convolution and the same images
    /// convolved one by one: (outputs, weight gradient vs the sum of per-image gradients).
    /// The sizes are large enough that images (or depthwise channels) are split across cores.
    static func batchVersusImages(channels: Int, outChannels: Int, groups: Int, size: Int) -> (output: Float, weightGradient: Float) {
        var generator = RandomGenerator(seed: 5)
        let batch = 6
        let input = Tensor.uniform([batch, channels, size, size - 1], low: -1, high: 1, generator: &generator)
        let weight = Tensor.uniform([outChannels, channels / groups, 3, 3], low: -1, high: 1, generator: &generator)
            .requiringGradient()
        let upstream = Tensor.uniform([batch, outChannels, (size + 1) / 2, size / 2], low: -1, high: 1, generator: &generator)
        let all = conv2d(input, weight: weight, stride: (2, 2), padding: .symmetric(1), groups: groups)
        all.backward(upstream)
        var summed = Tensor.zeros(weight.shape)
        var outputError: Float = 0
        for n in 0..<batch {
            let w = weight.detached().requiringGradient()
            let one = conv2d(input.slice(alongAxis: 0, start: n, end: n + 1), weight: w, stride: (2, 2),
                             padding: .symmetric(1), groups: groups)
            outputError = max(outputError, one.maxAbsoluteDifference(all.slice(alongAxis: 0, start: n, end: n + 1).detached()))
            one.backward(upstream.slice(alongAxis: 0, start: n, end: n + 1))
            summed.addInPlace(w.grad ?? Tensor.full(weight.shape, value: .nan))
        }
        let scale = max(1, summed.scalars.map(abs).max() ?? 0)
        let gradientError = (weight.grad ?? Tensor.full(weight.shape, value: .nan)).maxAbsoluteDifference(summed) / scale
        return (outputError, gradientError)
    }

    @Test("a batch gives each image's own result and the sum of their weight gradients",
          arguments: [(16, 16, 1, 14), (32, 32, 32, 40), (32, 8, 2, 14)])
    func batchEqualsImages(channels: Int, outChannels: Int, groups: Int, size: Int) {
        let errors = Self.batchVersusImages(channels: channels, outChannels: outChannels, groups: groups, size: size)
        #expect(errors.output <= 1e-5 && errors.weightGradient <= 1e-5, "\(errors)")
    }

    @Test("with a single-threaded BLAS, images are split across cores with the same results")
    func batchSplitWithSingleThreadedBLAS() async {
        // A child process, so that switching OpenBLAS to one thread affects no other test.
        await #expect(processExitsWith: .success) {
            typealias SetThreads = @convention(c) (Int32) -> Void
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "openblas_set_num_threads") else { exit(2) }
            unsafeBitCast(symbol, to: SetThreads.self)(1)
            for (c, o, g) in [(16, 16, 1), (32, 8, 2)] {
                let errors = Conv2DTests.batchVersusImages(channels: c, outChannels: o, groups: g, size: 14)
                if !(errors.output <= 1e-5 && errors.weightGradient <= 1e-5) { exit(1) }
            }
            exit(0)
        }
    }

    @Test("TensorFlow SAME padding: ceil(size / stride) outputs, the extra row/column at the bottom/right")
    func samePadding() {
        // (size, kernel, stride, dilation) → (before, after), from TF's formula by hand:
        // total = max((ceil(size/stride) − 1)·stride + (kernel − 1)·dilation + 1 − size, 0).
        let cases: [(Int, Int, Int, Int, Int, Int)] = [
            (224, 3, 2, 1, 0, 1),  // out 112: total 1
            (225, 3, 2, 1, 1, 1),  // out 113: total 2
            (112, 5, 2, 1, 1, 2),  // out 56: total 3
            (7, 3, 1, 1, 1, 1),
            (7, 3, 1, 2, 2, 2),    // dilated kernel spans 5
            (9, 1, 2, 1, 0, 0),
            (10, 4, 3, 1, 1, 2),   // out 4: 3·3 + 4 − 10 = 3
        ]
        for (size, kernel, stride, dilation, before, after) in cases {
            let p = Padding2D.same.resolved(height: size, width: size, kernelSize: (kernel, kernel),
                                            stride: (stride, stride), dilation: (dilation, dilation))
            #expect(p.top == before && p.bottom == after && p.left == before && p.right == after,
                    "size \(size) kernel \(kernel) stride \(stride) dilation \(dilation): got \(p)")
            let x = Tensor.zeros([1, 1, size, size])
            let y = conv2d(x, weight: Tensor.zeros([1, 1, kernel, kernel]), stride: (stride, stride), padding: .same,
                           dilation: (dilation, dilation))
            let expected = (size + stride - 1) / stride
            #expect(y.shape == [1, 1, expected, expected])
        }
        #expect(Padding2D.symmetric(2) == .explicit(top: 2, bottom: 2, left: 2, right: 2))
        #expect(Padding2D.symmetric(1, 3) == .explicit(top: 1, bottom: 1, left: 3, right: 3))
        #expect(Padding2D.valid == .symmetric(0))
    }

    @Test("only the gradients that are needed are computed and recorded")
    func partialGradients() throws {
        var generator = RandomGenerator(seed: 3)
        let input = Tensor.uniform([1, 2, 4, 4], generator: &generator)
        let weight = Tensor.uniform([3, 2, 3, 3], generator: &generator).requiringGradient()
        let y = conv2d(input, weight: weight, bias: Tensor.zeros([3]), padding: .symmetric(1))
        y.sum().backward()
        #expect(try #require(weight.grad).shape == [3, 2, 3, 3])
        #expect(input.grad == nil)
        let inference = withoutGradients { conv2d(input, weight: weight) }
        #expect(!inference.requiresGradient)
    }

    @Test("a channel mismatch stops the process (with a message naming conv2d and both shapes)")
    func channelMismatch() async throws {
        let result = try #require(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.zeros([1, 3, 4, 4]), weight: Tensor.zeros([2, 4, 3, 3]))
        })
        #if DEBUG
        // Optimized builds trap without printing precondition messages, so the text is only
        // there to check in debug builds.
        let message = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(message.contains("conv2d") && message.contains("[1, 3, 4, 4]") && message.contains("[2, 4, 3, 3]"), "\(message)")
        #else
        _ = result
        #endif
    }
}
