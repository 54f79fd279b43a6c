import FathomTestSupport
import Foundation
import Layers
import Tensor
import Testing

@Suite("pooling")
struct Pool2DTests {
    struct SlidingCase: Decodable, Sendable {
        let name: String
        let kernel: [Int], stride: [Int], padding: [Int]
        let ceilMode: Bool
        let countIncludePad: Bool?
    }

    struct AdaptiveCase: Decodable, Sendable {
        let name: String
        let outputSize: [Int]
    }

    @Test("maxPool2d matches the NumPy reference (explicit windows)")
    func maxPoolReference() throws {
        let fixtures = try ReferenceFixtures<SlidingCase>("max_pool2d")
        #expect(fixtures.cases.count >= 6)
        for c in fixtures.cases {
            let y = maxPool2d(try fixtures.tensor(c.name, "input"), kernelSize: (c.kernel[0], c.kernel[1]),
                              stride: (c.stride[0], c.stride[1]), padding: (c.padding[0], c.padding[1]), ceilMode: c.ceilMode)
            expectClose(y, try fixtures.tensor(c.name, "output"), c.name)
        }
    }

    @Test("avgPool2d matches the NumPy reference, ceil mode and countIncludePad included")
    func avgPoolReference() throws {
        let fixtures = try ReferenceFixtures<SlidingCase>("avg_pool2d")
        #expect(fixtures.cases.count >= 10)
        for c in fixtures.cases {
            let y = avgPool2d(try fixtures.tensor(c.name, "input"), kernelSize: (c.kernel[0], c.kernel[1]),
                              stride: (c.stride[0], c.stride[1]), padding: (c.padding[0], c.padding[1]),
                              ceilMode: c.ceilMode, countIncludePad: try #require(c.countIncludePad as Bool?))
            expectClose(y, try fixtures.tensor(c.name, "output"), c.name)
        }
    }

    @Test("adaptiveAvgPool2d matches the NumPy reference (floor/ceil windows)")
    func adaptiveReference() throws {
        let fixtures = try ReferenceFixtures<AdaptiveCase>("adaptive_avg_pool2d")
        #expect(fixtures.cases.count >= 5)
        for c in fixtures.cases {
            let y = adaptiveAvgPool2d(try fixtures.tensor(c.name, "input"), outputSize: (c.outputSize[0], c.outputSize[1]))
            expectClose(y, try fixtures.tensor(c.name, "output"), c.name)
        }
    }

    @Test("output sizes follow PyTorch's formula, including ceil mode's last-window rule")
    func outputSizes() {
        // (size, kernel, stride, padding, ceil) → out, worked by hand from
        // out = floor_or_ceil((size + 2p − k) / s) + 1, minus one in ceil mode when the last
        // window would start at or past size + p.
        let cases: [(Int, Int, Int, Int, Bool, Int)] = [
            (7, 2, 2, 0, false, 3), (7, 2, 2, 0, true, 4),
            (8, 3, 2, 1, false, 4), (8, 3, 2, 1, true, 5),  // ceil: (8+2−3)/2 = 3.5 → 4 + 1; start 7 < 9
            (6, 3, 3, 1, false, 2), (6, 3, 3, 1, true, 3),  // ceil: (6+2−3)/3 = 1.67 → 2 + 1; start 5 < 7
            (5, 2, 2, 1, true, 3),                          // ceil: (5+2−2)/2 = 2.5 → 3 + 1 = 4, start 6 ≥ 6 → 3
            (4, 1, 3, 0, true, 2),
        ]
        for (size, k, s, p, ceil, expected) in cases {
            let x = Tensor.zeros([1, 1, size, size + 1])
            let maxShape = maxPool2d(x, kernelSize: (k, k), stride: (s, s), padding: (p, p), ceilMode: ceil).shape
            let avgShape = avgPool2d(x, kernelSize: (k, k), stride: (s, s), padding: (p, p), ceilMode: ceil).shape
            #expect(maxShape[2] == expected, "maxPool2d size \(size) k \(k) s \(s) p \(p) ceil \(ceil)")
            #expect(avgShape[2] == expected, "avgPool2d size \(size) k \(k) s \(s) p \(p) ceil \(ceil)")
        }
    }

    @Test("avgPool2d divisors at the corners: padding counted or not, ceil-mode overhang never counted")
    func averageDivisors() {
        let ones = Tensor.ones([1, 1, 6, 6])
        // k3 s2 p1 on 6: windows start at −1, 1, 3 (and 5 in ceil mode).
        let included = avgPool2d(ones, kernelSize: (3, 3), stride: (2, 2), padding: (1, 1))
        #expect(included[0, 0, 0, 0] == 4.0 / 9, "top-left window has 2×2 real of 3×3")
        #expect(included[0, 0, 1, 1] == 1)
        let excluded = avgPool2d(ones, kernelSize: (3, 3), stride: (2, 2), padding: (1, 1), countIncludePad: false)
        #expect(excluded.scalars.allSatisfy { $0 == 1 })
        // Ceil mode adds a window starting at 5: rows 5..<8 clipped to the padded end 7, so the
        // divisor counts 2 rows (one real, one padding) — the overhang past the padding is not.
        let ceil = avgPool2d(ones, kernelSize: (3, 3), stride: (2, 2), padding: (1, 1), ceilMode: true)
        #expect(ceil.shape == [1, 1, 4, 4])
        #expect(ceil[0, 0, 3, 3] == 1.0 / 4, "corner: 1 real of 2×2")
        #expect(ceil[0, 0, 3, 1] == 3.0 / 6, "edge: 1×3 real of 2×3")
        #expect(ceil[0, 0, 0, 3] == 2.0 / 6, "top-right: 2×1 real of 3×2")
        let ceilExcluded = avgPool2d(ones, kernelSize: (3, 3), stride: (2, 2), padding: (1, 1), ceilMode: true,
                                     countIncludePad: false)
        #expect(ceilExcluded.scalars.allSatisfy { $0 == 1 })
        // Without padding, a ceil-mode window hanging past the input divides by its real part.
        let overhang = avgPool2d(Tensor.ones([1, 1, 5, 5]), kernelSize: (2, 2), ceilMode: true)
        #expect(overhang.shape == [1, 1, 3, 3])
        #expect(overhang.scalars.allSatisfy { $0 == 1 })
    }

    @Test("max pooling pads with −∞ (negative inputs at the border stay the maximum)")
    func maxPoolPadding() {
        let x = Tensor(shape: [1, 1, 2, 2], scalars: [-4, -3, -2, -1])
        let y = maxPool2d(x, kernelSize: (2, 2), stride: (1, 1), padding: (1, 1))
        #expect(y.scalars == [-4, -3, -3, -2, -1, -1, -2, -1, -1])
    }

    @Test("globalAvgPool2d gives [N, C, 1, 1] channel means")
    func globalAverage() {
        var generator = RandomGenerator(seed: 2)
        let x = Tensor.uniform([2, 3, 4, 5], generator: &generator)
        let y = globalAvgPool2d(x)
        #expect(y.shape == [2, 3, 1, 1])
        expectClose(y.reshaped(to: [2, 3]), x.mean(alongAxes: [2, 3]), tolerance: 1e-6, "channel means")
    }

    /// Distinct, well-separated values (gaps of 0.1 ≫ the finite-difference step): no ties,
    /// so the maximum of each window does not move under perturbation.
    static func distinctValues(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        let count = shape.reduce(1, *)
        let order = Tensor.permutation(count, generator: &generator)
        return Tensor(shape: shape, scalars: order.map { Float($0) * 0.1 - Float(count) * 0.05 })
    }

    @Test("maxPool2d gradients match finite differences",
          arguments: [((2, 2), (2, 2), (0, 0), false), ((3, 3), (2, 2), (1, 1), false), ((3, 3), (2, 2), (1, 1), true),
                      ((2, 3), (1, 2), (1, 1), true), ((3, 3), (1, 1), (1, 1), false)])
    func maxPoolGradients(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), ceilMode: Bool) {
        let x = Self.distinctValues([2, 2, 7, 6], seed: 4)
        checkGradient(of: { maxPool2d($0, kernelSize: kernel, stride: stride, padding: padding, ceilMode: ceilMode) },
                      at: x, tolerance: .relativeToLargest(epsilon: 1e-2))
    }

    @Test("avgPool2d gradients match finite differences",
          arguments: [((2, 2), (2, 2), (0, 0), false, true), ((3, 3), (2, 2), (1, 1), false, false),
                      ((3, 3), (2, 2), (1, 1), true, true), ((3, 3), (2, 2), (1, 1), true, false),
                      ((2, 3), (1, 2), (1, 1), true, true)])
    func avgPoolGradients(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), ceilMode: Bool, include: Bool) {
        var generator = RandomGenerator(seed: 8)
        let x = Tensor.uniform([2, 2, 7, 6], low: -1, high: 1, generator: &generator)
        checkGradient(of: { avgPool2d($0, kernelSize: kernel, stride: stride, padding: padding, ceilMode: ceilMode,
                                      countIncludePad: include) }, at: x, tolerance: .relativeToLargest())
    }

    @Test("adaptiveAvgPool2d and globalAvgPool2d gradients match finite differences",
          arguments: [(3, 3), (2, 4), (5, 5), (1, 1)])
    func adaptiveGradients(rows: Int, columns: Int) {
        var generator = RandomGenerator(seed: 9)
        let x = Tensor.uniform([2, 2, 7, 5], low: -1, high: 1, generator: &generator)
        checkGradient(of: { adaptiveAvgPool2d($0, outputSize: (rows, columns)) }, at: x, tolerance: .relativeToLargest())
        if rows == 1 && columns == 1 { checkGradient(of: { globalAvgPool2d($0) }, at: x, tolerance: .relativeToLargest()) }
    }

    @Test("pooling splits planes across cores without changing results")
    func largeInputs() {
        var generator = RandomGenerator(seed: 10)
        let x = Tensor.uniform([8, 64, 20, 20], low: -1, high: 1, generator: &generator)
        let pooled = maxPool2d(x, kernelSize: (2, 2))
        let bruteForce = x.reshaped(to: [8, 64, 10, 2, 10, 2]).max(alongAxes: [3, 5])
        expectClose(pooled, bruteForce, tolerance: 0, "max over 2×2 blocks")
        let averaged = avgPool2d(x, kernelSize: (2, 2))
        expectClose(averaged, x.reshaped(to: [8, 64, 10, 2, 10, 2]).mean(alongAxes: [3, 5]), tolerance: 1e-6, "2×2 means")
    }
}
