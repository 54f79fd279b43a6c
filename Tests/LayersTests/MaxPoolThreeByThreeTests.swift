import FathomTestSupport
import Layers
import Tensor
import Testing

/// The 3×3 stride-2 padding-1 fast path of `maxPool2d` (ResNet's stem; a C kernel that takes
/// eight outputs per vector) against a plain reference written here: widths that exercise the
/// vector blocks and the scalar borders, ties on a coarse grid, NaNs and infinities.
@Suite("maxPool2d 3×3 stride-2 fast path")
struct MaxPoolThreeByThreeTests {
    /// Each clipped 3×3 window's first maximum in row-major order (the first NaN wins, as in
    /// PyTorch), with the flat input index of the winner.
    static func reference(_ x: Tensor) -> (output: Tensor, winners: [Int]) {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (oh, ow) = ((h - 1) / 2 + 1, (w - 1) / 2 + 1)
        let values = x.scalars
        var output: [Float] = [], winners: [Int] = []
        for plane in 0..<(n * c) {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    let rows = max(2 * oy - 1, 0)..<min(2 * oy + 2, h), columns = max(2 * ox - 1, 0)..<min(2 * ox + 2, w)
                    let (best, winner) = PoolingReference.windowMaximum(values, offset: plane * h * w, width: w,
                                                                        rows: rows, columns: columns)
                    output.append(best)
                    winners.append(plane * h * w + winner)
                }
            }
        }
        return (Tensor(shape: [n, c, oh, ow], scalars: output), winners)
    }

    /// Values on a coarse grid (many ties), with NaN and ±∞ sprinkled in when `special`.
    static func values(_ shape: [Int], seed: UInt64, special: Bool) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        let u = Tensor.uniform(shape, low: -3, high: 3, generator: &generator).scalars
        let marks = Tensor.uniform(shape, generator: &generator).scalars
        return Tensor(shape: shape, scalars: zip(u, marks).map { value, mark in
            guard special else { return value.rounded() }
            if mark < 0.01 { return .nan }
            if mark < 0.02 { return .infinity }
            if mark < 0.04 { return -.infinity }
            return value.rounded()
        })
    }

    /// Elementwise equality that counts NaN equal to NaN.
    static func same(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    @Test("outputs and gradient routing match the reference, ties, NaN and infinities included",
          arguments: [([1, 1, 3, 3], false), ([2, 3, 21, 37], false), ([2, 3, 21, 37], true), ([1, 2, 64, 64], true),
                      ([1, 1, 2, 50], true), ([3, 2, 40, 19], false), ([1, 1, 33, 35], true)])
    func matchesReference(shape: [Int], special: Bool) throws {
        let x = Self.values(shape, seed: UInt64(shape.reduce(0, +)), special: special).requiringGradient()
        let y = maxPool2d(x, kernelSize: (3, 3), stride: (2, 2), padding: (1, 1))
        let (expected, winners) = Self.reference(x.detached())
        #expect(y.shape == expected.shape)
        #expect(Self.same(y.detached().scalars, expected.scalars))
        // Without the tape no argmax is kept; the maxima are the same.
        let untaped = withoutGradients { maxPool2d(x.detached(), kernelSize: (3, 3), stride: (2, 2), padding: (1, 1)) }
        #expect(Self.same(untaped.scalars, expected.scalars))

        let expectedGradient = PoolingReference.backwardThroughWinners(y, winners: winners, inputCount: x.scalarCount)
        let gradient = try #require(x.grad)
        #expect(gradient.scalars == expectedGradient)
    }

    @Test("gradients match finite differences on a plane wide enough for the vector blocks")
    func gradients() {
        let x = Pool2DTests.distinctValues([1, 2, 5, 23], seed: 13)
        checkGradient(of: { maxPool2d($0, kernelSize: (3, 3), stride: (2, 2), padding: (1, 1)) }, at: x, tolerance: .relativeToLargest(epsilon: 1e-2))
    }
}
