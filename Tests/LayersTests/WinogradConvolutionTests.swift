import FathomTestSupport
import Layers
import Tensor
import Testing

/// 3×3 stride-1 convolutions with at least 16 input and output channels run Winograd's
/// F(2×2, 3×3); these tests hold them to a direct convolution sum computed here in Double,
/// forward and backward, on shapes that exercise every edge case of the tiling.
@Suite("conv2d, Winograd F(2×2, 3×3) shapes")
struct WinogradConvolutionTests {
    /// A shape case: input `[n, c, h, w]`, `k` output channels, padding.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let n: Int, c: Int, h: Int, w: Int, k: Int
        let padding: Padding2D
        var bias = true
        var testDescription: String { name }
    }

    /// Every case reaches Winograd: 16+ channels and an output at least 8 wide, or 128+
    /// channels on smaller maps (narrow maps with fewer channels run im2col + GEMM).
    static let cases: [Case] = [
        Case(name: "even output, padding 1", n: 2, c: 16, h: 8, w: 8, k: 16, padding: .symmetric(1)),
        Case(name: "odd output both ways, padding 1", n: 3, c: 17, h: 7, w: 9, k: 18, padding: .symmetric(1)),
        Case(name: "no padding, odd output", n: 2, c: 16, h: 5, w: 11, k: 20, padding: .valid, bias: false),
        Case(name: "padding 2 (output larger than input)", n: 1, c: 16, h: 4, w: 7, k: 16, padding: .symmetric(2)),
        Case(name: "asymmetric padding", n: 2, c: 16, h: 6, w: 11, k: 16, padding: .explicit(top: 0, bottom: 2, left: 1, right: 0)),
        Case(name: "TensorFlow SAME", n: 1, c: 24, h: 5, w: 9, k: 16, padding: .same),
        Case(name: "1×1 input, padding 1, 128 channels", n: 4, c: 128, h: 1, w: 1, k: 128, padding: .symmetric(1)),
        Case(name: "2×2 maps, 128 channels, many images per GEMM", n: 40, c: 128, h: 2, w: 2, k: 128, padding: .symmetric(1)),
        Case(name: "batch split across cores", n: 6, c: 32, h: 20, w: 19, k: 32, padding: .symmetric(1)),
    ]

    /// Output, input gradient and weight gradient of the convolution by the definition, in Double.
    static func direct(_ x: [Float], _ wt: [Float], _ b: [Float]?, _ up: [Float], _ s: Case,
                       pad: (top: Int, left: Int), out: (h: Int, w: Int)) -> (y: [Double], gx: [Double], gw: [Double]) {
        var y = [Double](repeating: 0, count: s.n * s.k * out.h * out.w)
        var gx = [Double](repeating: 0, count: x.count), gw = [Double](repeating: 0, count: wt.count)
        for n in 0..<s.n {
            for k in 0..<s.k {
                for oy in 0..<out.h {
                    for ox in 0..<out.w {
                        let o = ((n * s.k + k) * out.h + oy) * out.w + ox
                        var sum = Double(b?[k] ?? 0)
                        for c in 0..<s.c {
                            for ky in 0..<3 {
                                for kx in 0..<3 {
                                    let iy = oy + ky - pad.top, ix = ox + kx - pad.left
                                    guard iy >= 0, iy < s.h, ix >= 0, ix < s.w else { continue }
                                    let xi = ((n * s.c + c) * s.h + iy) * s.w + ix, wi = ((k * s.c + c) * 3 + ky) * 3 + kx
                                    sum += Double(x[xi]) * Double(wt[wi])
                                    gx[xi] += Double(up[o]) * Double(wt[wi])
                                    gw[wi] += Double(up[o]) * Double(x[xi])
                                }
                            }
                        }
                        y[o] = sum
                    }
                }
            }
        }
        return (y, gx, gw)
    }

    /// `max |actual − expected| / max(max |expected|, 1)`.
    static func relativeError(_ actual: [Float], _ expected: [Double]) -> Double {
        let scale = max(expected.map(abs).max() ?? 0, 1)
        return zip(actual, expected).map { abs(Double($0) - $1) }.max().map { $0 / scale } ?? .infinity
    }

    /// The relative errors of conv2d's output, input gradient and weight gradient against
    /// ``direct(_:_:_:_:_:pad:out:)`` for one case (infinite when a gradient is missing).
    static func errors(_ s: Case) -> (output: Double, input: Double, weight: Double) {
        var generator = RandomGenerator(seed: 3)
        let input = Tensor.uniform([s.n, s.c, s.h, s.w], low: -1, high: 1, generator: &generator).requiringGradient()
        let weight = Tensor.uniform([s.k, s.c, 3, 3], low: -0.5, high: 0.5, generator: &generator).requiringGradient()
        let bias = s.bias ? Tensor.uniform([s.k], low: -1, high: 1, generator: &generator) : nil
        let output = conv2d(input, weight: weight, bias: bias, padding: s.padding)
        let outH = output.shape[2], outW = output.shape[3]
        let upstream = Tensor.uniform(output.shape, low: -1, high: 1, generator: &generator)
        output.backward(upstream)

        // The padding a 3×3 kernel needs for this output size, as `Padding2D` resolved it.
        let pad: (top: Int, left: Int) = switch s.padding {
        case .same: ((outH - 1 + 3 - s.h) / 2, (outW - 1 + 3 - s.w) / 2)
        case let .explicit(top, _, left, _): (top, left)
        }
        let reference = direct(input.scalars, weight.scalars, bias?.scalars, upstream.scalars, s, pad: pad, out: (outH, outW))
        guard output.scalarCount == reference.y.count, let gx = input.grad, let gw = weight.grad else {
            return (.infinity, .infinity, .infinity)
        }
        return (relativeError(output.scalars, reference.y), relativeError(gx.scalars, reference.gx),
                relativeError(gw.scalars, reference.gw))
    }

    @Test("output, input gradient and weight gradient equal the direct convolution sum", arguments: cases)
    func matchesDirectSum(_ s: Case) {
        let errors = Self.errors(s)
        #expect(errors.output <= 1e-5 && errors.input <= 1e-5 && errors.weight <= 1e-5, "\(errors)")
    }

    @Test("gradients match finite differences")
    func finiteDifferences() {
        var generator = RandomGenerator(seed: 9)
        let inputs = [Tensor.uniform([1, 16, 3, 9], low: -1, high: 1, generator: &generator),
                      Tensor.uniform([16, 16, 3, 3], low: -1, high: 1, generator: &generator),
                      Tensor.uniform([16], low: -1, high: 1, generator: &generator)]
        checkGradients(of: { t in conv2d(t[0], weight: t[1], bias: t[2], padding: .symmetric(1)) }, at: inputs, tolerance: .relativeToLargest())
    }

    @Test("only the needed gradient is computed: input alone, weight alone")
    func partialGradients() throws {
        var generator = RandomGenerator(seed: 4)
        let x = Tensor.uniform([2, 16, 6, 9], low: -1, high: 1, generator: &generator)
        let w = Tensor.uniform([16, 16, 3, 3], low: -1, high: 1, generator: &generator)
        let both = (x.requiringGradient(), w.requiringGradient())
        conv2d(both.0, weight: both.1, padding: .symmetric(1)).sum().backward()
        let inputOnly = x.requiringGradient()
        conv2d(inputOnly, weight: w, padding: .symmetric(1)).sum().backward()
        let weightOnly = w.requiringGradient()
        conv2d(x, weight: weightOnly, padding: .symmetric(1)).sum().backward()
        #expect(try #require(inputOnly.grad).maxAbsoluteDifference(try #require(both.0.grad)) == 0)
        #expect(try #require(weightOnly.grad).maxAbsoluteDifference(try #require(both.1.grad)) == 0)
    }
}
