import FathomTestSupport
import Foundation
import Testing
import Tensor

/// Reductions over every set of axes (negative, with and without kept dimensions, size-0 and
/// size-1 axes), checked against a naive grouping reference computed in Double.
@Suite struct ReductionTests {
    /// Groups the scalars of `x` by their index with `axes` removed and applies `f` to each group.
    static func reference(_ x: Tensor, axes: [Int], keep: Bool, _ f: ([Double]) -> Double) -> Tensor {
        let rank = x.rank
        let axes = Set(axes.map { $0 < 0 ? $0 + rank : $0 })
        let outKept = x.shape.indices.map { axes.contains($0) ? 1 : x.shape[$0] }
        var groups = [[Double]](repeating: [], count: outKept.reduce(1, *))
        let values = x.scalars
        for flat in 0..<values.count {
            var rest = flat, out = 0, step = 1
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                let i = rest % x.shape[axis]
                rest /= x.shape[axis]
                if !axes.contains(axis) { out += i * step }
                step *= outKept[axis]
            }
            groups[out].append(Double(values[flat]))
        }
        let shape = keep ? outKept : x.shape.indices.filter { !axes.contains($0) }.map { x.shape[$0] }
        return Tensor(shape: shape, scalars: groups.map { Float(f($0)) })
    }

    static let axisSets: [[Int]] = [[0], [1], [2], [-1], [-3], [0, 2], [-1, 0], [1, 2], [0, 1, 2]]
    let x = seededUniform([3, 4, 5], low: -2, high: 2, seed: 61)

    @Test(arguments: axisSets, [false, true])
    func sumAndMeanMatchTheReference(_ axes: [Int], _ keep: Bool) {
        expectTensor(x.sum(alongAxes: axes, keepingDimensions: keep),
                     Self.reference(x, axes: axes, keep: keep) { $0.reduce(0, +) }, absolute: 1e-5)
        expectTensor(x.mean(alongAxes: axes, keepingDimensions: keep),
                     Self.reference(x, axes: axes, keep: keep) { $0.reduce(0, +) / Double($0.count) }, absolute: 1e-6)
    }

    @Test(arguments: axisSets, [false, true])
    func maxAndMinMatchTheReference(_ axes: [Int], _ keep: Bool) {
        expectTensor(x.max(alongAxes: axes, keepingDimensions: keep),
                     Self.reference(x, axes: axes, keep: keep) { $0.max()! })
        expectTensor(x.min(alongAxes: axes, keepingDimensions: keep),
                     Self.reference(x, axes: axes, keep: keep) { $0.min()! })
    }

    @Test(arguments: axisSets, [0, 1])
    func varianceAndStandardDeviationMatchTheReference(_ axes: [Int], _ correction: Int) {
        func variance(_ v: [Double]) -> Double {
            let mean = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - correction)
        }
        expectTensor(x.variance(alongAxes: axes, correction: correction),
                     Self.reference(x, axes: axes, keep: false, variance), absolute: 1e-5, relative: 1e-4)
        expectTensor(x.standardDeviation(alongAxes: axes, correction: correction, keepingDimensions: true),
                     Self.reference(x, axes: axes, keep: true) { variance($0).squareRoot() },
                     absolute: 1e-5, relative: 1e-4)
    }

    @Test(arguments: axisSets)
    func logSumExpMatchesTheReference(_ axes: [Int]) {
        expectTensor(x.logSumExp(alongAxes: axes),
                     Self.reference(x, axes: axes, keep: false) { Foundation.log($0.map(Foundation.exp).reduce(0, +)) },
                     absolute: 1e-5, relative: 1e-5)
    }

    @Test func noAxesMeansEveryAxis() {
        let total = x.scalars.map(Double.init).reduce(0, +)
        #expect(x.sum().shape == [])
        #expect(abs(Double(x.sum().scalar) - total) < 1e-4)
        #expect(x.sum(alongAxes: []).shape == [])
        #expect(x.sum(keepingDimensions: true).shape == [1, 1, 1])
        #expect(abs(Double(x.mean().scalar) - total / 60) < 1e-6)
        #expect(x.max().scalar == x.scalars.max())
        #expect(x.min().scalar == x.scalars.min())
        // A rank-0 tensor reduces to itself.
        #expect(Tensor(Float(3)).sum().scalar == 3)
    }

    @Test func singleAxisOverloads() {
        expectTensor(x.sum(alongAxis: -2), x.sum(alongAxes: [1]))
        expectTensor(x.mean(alongAxis: 0, keepingDimensions: true), x.mean(alongAxes: [0], keepingDimensions: true))
        expectTensor(x.max(alongAxis: 2), x.max(alongAxes: [2]))
        expectTensor(x.min(alongAxis: -1), x.min(alongAxes: [-1]))
    }

    @Test func sizeOneAndSizeZeroAxes() {
        let column = Tensor(shape: [3, 1], scalars: [1, 2, 3])
        expectTensor(column.sum(alongAxes: [1]), shape: [3], [1, 2, 3])
        expectTensor(column.max(alongAxes: [1], keepingDimensions: true), column)
        // Summing an empty axis gives zeros; the mean of nothing is NaN, as in NumPy.
        expectTensor(Tensor.zeros([0, 3]).sum(alongAxes: [0]), shape: [3], [0, 0, 0])
        expectTensor(Tensor.zeros([2, 0]).sum(alongAxes: [1], keepingDimensions: true), shape: [2, 1], [0, 0])
        #expect(Tensor.zeros([2, 0]).sum(alongAxes: [0]).shape == [0])
        #expect(Tensor.zeros([0]).sum().scalar == 0)
        #expect(Tensor.zeros([0, 2]).mean(alongAxes: [0]).scalars.allSatisfy { $0.isNaN })
    }

    @Test func largeSumsAreAccurate() {
        // Long rows take the blocked path: compare with Double accumulation.
        let long = seededUniform([3, 100_003], low: 0, high: 1, seed: 62)
        let reference = Self.reference(long, axes: [1], keep: false) { $0.reduce(0, +) }
        expectTensor(long.sum(alongAxes: [1]), reference, absolute: 0, relative: 1e-5)
        let tall = seededUniform([50_001, 3], low: 0, high: 1, seed: 63)
        expectTensor(tall.sum(alongAxes: [0]), Self.reference(tall, axes: [0], keep: false) { $0.reduce(0, +) },
                     absolute: 0, relative: 1e-5)
    }

    @Test func largeExtremaAreSplitAcrossCoresCorrectly() {
        // Enough rows that each reduction is split into chunks, along the last and a middle axis.
        let rows = seededUniform([2_000, 20], seed: 67)
        expectTensor(rows.max(alongAxes: [1]), Self.reference(rows, axes: [1], keep: false) { $0.max()! })
        expectTensor(rows.min(alongAxes: [1]), Self.reference(rows, axes: [1], keep: false) { $0.min()! })
        let cube = seededUniform([200, 20, 30], seed: 68)
        expectTensor(cube.max(alongAxes: [1]), Self.reference(cube, axes: [1], keep: false) { $0.max()! })
        expectTensor(cube.sum(alongAxes: [0, 2]), Self.reference(cube, axes: [0, 2], keep: false) { $0.reduce(0, +) },
                     absolute: 1e-3, relative: 1e-5)
    }

    @Test func extremaPropagateNaN() {
        // As PyTorch and NumPy, and consistent with argmax, wherever the NaN sits in the slice.
        for position in 0..<6 {
            var values: [Float] = [1, 5, -2, 4, 0, 3]
            values[position] = .nan
            let t = Tensor(shape: [1, 6], scalars: values)
            #expect(t.max(alongAxes: [1]).scalars[0].isNaN, "NaN at \(position)")
            #expect(t.min(alongAxes: [1]).scalars[0].isNaN, "NaN at \(position)")
            #expect(t.max().scalar.isNaN)
            #expect(t.argmax() == position)
        }
        // Along a non-contiguous axis too.
        let column = Tensor(shape: [3, 2], scalars: [1, 2, .nan, 0, 3, 1])
        let m = column.max(alongAxes: [0]).scalars
        #expect(m[0].isNaN && m[1] == 2)
    }

    @Test func extremaTiesShareTheGradient() throws {
        let t = Tensor(shape: [2, 3], scalars: [1, 5, 5, -2, -2, 0]).requiringGradient()
        t.max(alongAxes: [1]).sum().backward()
        expectTensor(try #require(t.grad), shape: [2, 3], [0, 0.5, 0.5, 0, 0, 1])
        let u = Tensor(shape: [2, 3], scalars: [1, 5, 5, -2, -2, 0]).requiringGradient()
        u.min(alongAxes: [1]).sum().backward()
        expectTensor(try #require(u.grad), shape: [2, 3], [1, 0, 0, 0.5, 0.5, 0])
        let v = Tensor([3, 3, 3, 3]).requiringGradient()
        v.max().backward()
        expectTensor(try #require(v.grad), shape: [4], [0.25, 0.25, 0.25, 0.25])
    }

    @Test func argmaxAndArgmin() {
        let t = Tensor(shape: [2, 4], scalars: [1, 7, 7, 0, -1, -5, 3, -5])
        // The first index wins on ties.
        expectTensor(t.argmax(alongAxis: 1), shape: [2], [1, 2])
        expectTensor(t.argmax(alongAxis: -1, keepingDimensions: true), shape: [2, 1], [1, 2])
        expectTensor(t.argmin(alongAxis: 1), shape: [2], [3, 1])
        expectTensor(t.argmax(alongAxis: 0), shape: [4], [0, 0, 0, 0])
        expectTensor(t.argmin(alongAxis: -2, keepingDimensions: true), shape: [1, 4], [1, 1, 1, 1])
        #expect(t.argmax() == 1)
        #expect(Tensor([0, .nan, 5]).argmax() == 1)  // NaN propagates, as in NumPy
        let cube = seededUniform([3, 4, 5], seed: 64)
        let expected = Self.reference(cube, axes: [1], keep: false) { group in
            Double(group.firstIndex(of: group.max()!)!)
        }
        expectTensor(cube.argmax(alongAxis: 1), expected)
    }

    @Test func logSumExpIsStable() {
        let big = Tensor(shape: [2, 3], scalars: [1000, 1000, 999, -1000, -1000, -1001])
        let expected = [1000 + Foundation.log(2 + Foundation.exp(-1.0)), -1000 + Foundation.log(2 + Foundation.exp(-1.0))]
        expectTensor(big.logSumExp(alongAxes: [1]), shape: [2], expected.map(Float.init), absolute: 1e-3)
        // −∞ terms contribute nothing; a row of only −∞ gives −∞, not NaN.
        let inf = Tensor(shape: [2, 2], scalars: [-.infinity, 0, -.infinity, -.infinity])
        expectTensor(inf.logSumExp(alongAxes: [-1], keepingDimensions: true), shape: [2, 1], [0, -.infinity])
    }

    // MARK: Gradients

    @Test(arguments: [[0], [-1], [0, 2], [1, 2], [0, 1, 2]] as [[Int]], [false, true])
    func reductionGradients(_ axes: [Int], _ keep: Bool) {
        let x = seededUniform([2, 3, 4], low: -2, high: 2, seed: 65)
        checkGradient(of: { $0.sum(alongAxes: axes, keepingDimensions: keep) }, at: x)
        checkGradient(of: { $0.mean(alongAxes: axes, keepingDimensions: keep) }, at: x)
        // Distinct random values: no tie is within ε of another.
        checkGradient(of: { $0.max(alongAxes: axes, keepingDimensions: keep) }, at: x)
        checkGradient(of: { $0.min(alongAxes: axes, keepingDimensions: keep) }, at: x)
        checkGradient(of: { $0.logSumExp(alongAxes: axes, keepingDimensions: keep) }, at: x)
        checkGradient(of: { $0.variance(alongAxes: axes, correction: 1, keepingDimensions: keep) }, at: x)
        checkGradient(of: { $0.variance(alongAxes: axes, correction: 0, keepingDimensions: keep) }, at: x)
        checkGradient(of: { $0.standardDeviation(alongAxes: axes, keepingDimensions: keep) }, at: x)
    }

    @Test(arguments: [[1], [0, 1], [1, 2], [-2]] as [[Int]])
    func gradientsOverSizeOneAxes(_ axes: [Int]) {
        // A size-1 axis is reduced by reshaping only; the gradient must still reach every input.
        let x = seededUniform([3, 1, 4], low: -2, high: 2, seed: 69)
        checkGradient(of: { $0.sum(alongAxes: axes) }, at: x)
        checkGradient(of: { $0.max(alongAxes: axes, keepingDimensions: true) }, at: x)
        checkGradient(of: { $0.mean(alongAxes: axes) }, at: x)
        checkGradient(of: { $0.logSumExp(alongAxes: axes) }, at: x)
    }

    @Test func logSumExpGradientWithLargeAndInfiniteInputs() throws {
        // Near 500 a Float step is 3e-5, so the difference quotient needs a wider step.
        checkGradient(of: { $0.logSumExp(alongAxes: [1]) }, at: seededUniform([2, 3], low: 500, high: 502, seed: 66),
                          tolerance: GradientTolerance(epsilon: 0.05, relative: 1e-2, absolute: 2e-3))
        let t = Tensor([-.infinity, 0, 0]).requiringGradient()
        t.logSumExp().backward()
        expectTensor(try #require(t.grad), shape: [3], [0, 0.5, 0.5])
    }
}
