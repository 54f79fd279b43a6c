import FathomTestSupport
import Layers
import Tensor
import Testing

/// The 2×2 stride-2 fast path of `maxPool2d` against the general windowed loop and against a
/// plain reference written here, on odd shapes where the last row or column is left over.
@Suite("maxPool2d 2×2 fast path")
struct MaxPoolPairwiseTests {
    /// The maximum of each 2×2 block and the in-plane index of its first maximum (the first NaN
    /// wins), by a direct scan: the semantics PyTorch documents for `max_pool2d`.
    static func reference(_ x: Tensor) -> (output: Tensor, firstMaximum: [Int]) {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (oh, ow) = (h / 2, w / 2)
        let values = x.scalars
        var output: [Float] = [], indices: [Int] = []
        for plane in 0..<(n * c) {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let (best, bestIndex) = PoolingReference.windowMaximum(
                        values, offset: plane * h * w, width: w, rows: (2 * oy)..<(2 * oy + 2), columns: (2 * ox)..<(2 * ox + 2))
                    output.append(best)
                    indices.append(plane * h * w + bestIndex)
                }
            }
        }
        return (Tensor(shape: [n, c, oh, ow], scalars: output), indices)
    }

    /// Values on a coarse grid, so that many windows hold ties.
    static func tiedValues(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.uniform(shape, low: -3, high: 3, generator: &generator).withUnsafeBufferPointer { u in
            Tensor(shape: shape, scalars: u.map { $0.rounded() })
        }
    }

    @Test("outputs and gradient routing match the reference on odd shapes, ties included",
          arguments: [[1, 1, 2, 2], [2, 3, 7, 9], [3, 5, 6, 5], [1, 2, 5, 5], [2, 4, 28, 28], [1, 1, 3, 11]])
    func matchesReference(shape: [Int]) throws {
        let x = Self.tiedValues(shape, seed: UInt64(shape.reduce(0, +))).requiringGradient()
        let y = maxPool2d(x, kernelSize: (2, 2))
        let (expected, firstMaximum) = Self.reference(x.detached())
        #expect(y.shape == expected.shape)
        #expect(y.detached().isAlmostEqual(to: expected, tolerance: 0))

        // Each window sends its gradient to its first maximum only; left-over rows/columns get 0.
        let expectedGradient = PoolingReference.backwardThroughWinners(y, winners: firstMaximum, inputCount: x.scalarCount)
        let gradient = try #require(x.grad)
        #expect(gradient.isAlmostEqual(to: Tensor(shape: shape, scalars: expectedGradient), tolerance: 0))
    }

    @Test("the fast path agrees with the general loop (ceil mode's windows) wherever their windows coincide",
          arguments: [[2, 3, 7, 9], [1, 4, 5, 13]])
    func agreesWithGeneralPath(shape: [Int]) {
        var generator = RandomGenerator(seed: 11)
        let x = Tensor.normal(shape, generator: &generator)
        let fast = maxPool2d(x, kernelSize: (2, 2))
        // Odd sizes in ceil mode add a partial last window, so the general loop runs; the
        // windows before it are the same 2×2 blocks.
        let general = maxPool2d(x, kernelSize: (2, 2), ceilMode: true)
        let (oh, ow) = (fast.shape[2], fast.shape[3])
        #expect(general.shape[2] == oh + shape[2] % 2 && general.shape[3] == ow + shape[3] % 2)
        let overlap = general.slice(alongAxis: 2, start: 0, end: oh).slice(alongAxis: 3, start: 0, end: ow)
        #expect(fast.isAlmostEqual(to: overlap, tolerance: 0))
    }

    @Test("a NaN in a window is its maximum and takes the gradient; infinities are ordinary values")
    func nanAndInfinities() throws {
        let nan = Float.nan, inf = Float.infinity
        let x = Tensor(shape: [1, 1, 2, 8], scalars: [1, nan, -inf, inf, 2, 2, -inf, -inf,
                                                      nan, 3, inf, -inf, 1, 5, -inf, -inf]).requiringGradient()
        let y = maxPool2d(x, kernelSize: (2, 2))
        let values = y.detached().scalars
        #expect(values[0].isNaN)
        #expect(values[1] == inf && values[2] == 5 && values[3] == -inf)
        y.backward(Tensor(shape: [1, 1, 1, 4], scalars: [10, 20, 30, 40]))
        let g = try #require(x.grad).scalars
        // Window 0: first NaN at (0, 1). Window 1: +inf at (0, 3). Window 2: 5 at (1, 5).
        // Window 3: all −inf, the first one at (0, 6).
        #expect(g == [0, 10, 0, 20, 0, 0, 40, 0, 0, 0, 0, 0, 0, 30, 0, 0])
    }

    @Test("gradients match finite differences on an odd shape")
    func gradients() {
        let x = Pool2DTests.distinctValues([2, 3, 5, 7], seed: 12)
        checkGradient(of: { maxPool2d($0, kernelSize: (2, 2)) }, at: x, tolerance: .relativeToLargest(epsilon: 1e-2))
    }
}
