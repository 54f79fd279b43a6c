import FathomTestSupport
import Foundation
import Testing
import Tensor

/// Softmax and log-softmax along any axis: values against a Double reference, stability with
/// large logits, and gradients.
@Suite struct SoftmaxTests {
    /// Softmax along `axis` of `x`, in Double, by explicit slices.
    static func reference(_ x: Tensor, axis: Int, log: Bool) -> Tensor {
        let axis = axis < 0 ? axis + x.rank : axis
        let n = x.shape[axis]
        let inner = x.shape[(axis + 1)...].reduce(1, *)
        let outer = x.shape[..<axis].reduce(1, *)
        let v = x.scalars.map(Double.init)
        var out = [Float](repeating: 0, count: v.count)
        for o in 0..<outer {
            for j in 0..<inner {
                let idx = (0..<n).map { (o * n + $0) * inner + j }
                let m = idx.map { v[$0] }.max()!
                let total = idx.reduce(0) { $0 + Foundation.exp(v[$1] - m) }
                for i in idx {
                    out[i] = Float(log ? v[i] - m - Foundation.log(total) : Foundation.exp(v[i] - m) / total)
                }
            }
        }
        return Tensor(shape: x.shape, scalars: out)
    }

    @Test(arguments: [0, 1, 2, -1, -2, -3])
    func valuesMatchTheReference(_ axis: Int) {
        let x = seededUniform([3, 4, 5], low: -4, high: 4, seed: 71)
        let s = x.softmax(alongAxis: axis)
        expectTensor(s, Self.reference(x, axis: axis, log: false), absolute: 1e-6, relative: 1e-5)
        expectTensor(x.logSoftmax(alongAxis: axis), Self.reference(x, axis: axis, log: true), absolute: 1e-5, relative: 1e-5)
        // Each slice sums to 1.
        let totals = s.sum(alongAxes: [axis])
        #expect(totals.scalars.allSatisfy { abs($0 - 1) < 1e-5 })
    }

    @Test func defaultAxisIsTheLast() {
        let x = seededUniform([2, 3], seed: 72)
        expectTensor(x.softmax(), x.softmax(alongAxis: 1))
        expectTensor(x.logSoftmax(), x.logSoftmax(alongAxis: -1))
    }

    @Test func largeLogitsAreStable() {
        let x = Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, -1000, -1000, -5000])
        let s = x.softmax()
        #expect(s.scalars.allSatisfy { $0.isFinite })
        expectTensor(s, Self.reference(x, axis: -1, log: false), absolute: 1e-6)
        let l = x.logSoftmax()
        #expect(l.scalars.allSatisfy { $0.isFinite })
        expectTensor(l, Self.reference(x, axis: -1, log: true), absolute: 1e-3)
        #expect(abs(l[1, 2] - -(4000 + Float(Foundation.log(2.0)))) < 1e-2)
        // A masked (−∞) logit gets exactly zero probability.
        let masked = Tensor([0, -.infinity, 0]).softmax()
        #expect(masked.scalars == [0.5, 0, 0.5])
    }

    @Test(arguments: [0, 1])
    func largeInputsAreSplitAcrossCoresCorrectly(_ axis: Int) {
        let x = seededUniform([3_000, 10], low: -5, high: 5, seed: 77)
        expectTensor(x.softmax(alongAxis: axis), Self.reference(x, axis: axis, log: false), absolute: 1e-6, relative: 1e-5)
        expectTensor(x.logSoftmax(alongAxis: axis), Self.reference(x, axis: axis, log: true), absolute: 1e-5, relative: 1e-5)
    }

    @Test func sizeOneAndSizeZeroAxes() {
        let x = seededUniform([3, 1], seed: 73)
        #expect(x.softmax(alongAxis: 1).scalars == [1, 1, 1])
        #expect(x.logSoftmax(alongAxis: 1).scalars == [0, 0, 0])
        #expect(Tensor.zeros([0, 4]).softmax().shape == [0, 4])
        #expect(Tensor.zeros([4, 0]).softmax(alongAxis: 0).shape == [4, 0])
    }

    @Test(arguments: [0, 1, -1])
    func gradients(_ axis: Int) {
        let x = seededUniform([3, 4], low: -3, high: 3, seed: 74)
        checkGradient(of: { $0.softmax(alongAxis: axis) }, at: x)
        checkGradient(of: { $0.logSoftmax(alongAxis: axis) }, at: x)
    }

    @Test func gradientWithLargeLogits() {
        // Shifted by 1000, the gradient is that of the unshifted logits.
        let x = seededUniform([2, 4], low: -2, high: 2, seed: 75)
        let leaf = (x + 1000).requiringGradient()
        let w = seededUniform([2, 4], seed: 76)
        (leaf.softmax() * w).sum().backward()
        let reference = x.requiringGradient()
        (reference.softmax() * w).sum().backward()
        if let g = leaf.grad, let r = reference.grad {
            expectTensor(g, r, absolute: 1e-5, relative: 1e-3)
        } else {
            Issue.record("no gradient reached the logits")
        }
    }
}
