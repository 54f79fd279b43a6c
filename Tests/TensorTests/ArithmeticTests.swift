import FathomTestSupport
import Foundation
import Testing
import Tensor

/// The arithmetic operators, pow, negation and minimum/maximum: values and gradients.
/// Broadcasting shapes have their own suite (BroadcastingTests).
@Suite struct ArithmeticTests {
    let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    let b = Tensor(shape: [2, 2], scalars: [0.5, -2, 8, 1])

    @Test func tensorTensorValues() {
        expectTensor(a + b, shape: [2, 2], [1.5, 0, 11, 5])
        expectTensor(a - b, shape: [2, 2], [0.5, 4, -5, 3])
        expectTensor(a * b, shape: [2, 2], [0.5, -4, 24, 4])
        expectTensor(a / b, shape: [2, 2], [2, -1, 0.375, 4])
        expectTensor(-a, shape: [2, 2], [-1, -2, -3, -4])
    }

    @Test func tensorScalarAndScalarTensorValues() {
        expectTensor(a + 1, shape: [2, 2], [2, 3, 4, 5])
        expectTensor(1 + a, shape: [2, 2], [2, 3, 4, 5])
        expectTensor(a - 1, shape: [2, 2], [0, 1, 2, 3])
        expectTensor(10 - a, shape: [2, 2], [9, 8, 7, 6])
        expectTensor(a * 3, shape: [2, 2], [3, 6, 9, 12])
        expectTensor(3 * a, shape: [2, 2], [3, 6, 9, 12])
        expectTensor(a / 2, shape: [2, 2], [0.5, 1, 1.5, 2])
        expectTensor(12 / a, shape: [2, 2], [12, 6, 4, 3])
    }

    @Test func compoundAssignment() {
        var t = a
        t += b
        expectTensor(t, shape: [2, 2], [1.5, 0, 11, 5])
        t -= b
        expectTensor(t, a)
        t *= b
        expectTensor(t, a * b)
        t /= b
        expectTensor(t, a)
        t += 1; t -= 3; t *= 2; t /= 4
        expectTensor(t, shape: [2, 2], [-0.5, 0, 0.5, 1])
        // `a` itself is untouched (value semantics).
        #expect(a.scalars == [1, 2, 3, 4])
    }

    @Test func compoundAssignmentIsDifferentiable() throws {
        let x = Tensor([1, 2, 3]).requiringGradient()
        var y = x * 2
        y += x
        y *= x  // y = 3x², dy/dx = 6x
        y.sum().backward()
        let grad = try #require(x.grad)
        expectTensor(grad, shape: [3], [6, 12, 18])
    }

    @Test func ieeeSpecialValues() {
        let q = Tensor([1, -1, 0]) / Tensor([0, 0, 0])
        #expect(q.scalars[0] == .infinity)
        #expect(q.scalars[1] == -.infinity)
        #expect(q.scalars[2].isNaN)
    }

    @Test func powValues() {
        expectTensor(Tensor.pow(Tensor([2, 3, 4]), Tensor([3, 2, 0.5])), shape: [3], [8, 9, 2])
        expectTensor(Tensor([2, 3, 4]).pow(2), shape: [3], [4, 9, 16])
        expectTensor(Tensor([4, 9]).pow(-0.5), shape: [2], [0.5, 1.0 / 3])
        // Broadcast exponent.
        expectTensor(Tensor.pow(Tensor(shape: [2, 1], scalars: [2, 3]), Tensor([1, 2])), shape: [2, 2], [2, 4, 3, 9])
    }

    @Test func minimumMaximumValues() {
        expectTensor(Tensor.minimum(a, b), shape: [2, 2], [0.5, -2, 3, 1])
        expectTensor(Tensor.maximum(a, b), shape: [2, 2], [1, 2, 8, 4])
        expectTensor(Tensor.maximum(Tensor([-1, 0.5, 2]), 0), shape: [3], [0, 0.5, 2])
        expectTensor(Tensor.minimum(Tensor([-1, 0.5, 2]), 1), shape: [3], [-1, 0.5, 1])
    }

    @Test func minimumMaximumTiesSplitTheGradient() throws {
        let x = Tensor([1, 2, 3]).requiringGradient()
        let y = Tensor([1, 0, 5]).requiringGradient()
        Tensor.maximum(x, y).sum().backward()
        expectTensor(try #require(x.grad), shape: [3], [0.5, 1, 0])
        expectTensor(try #require(y.grad), shape: [3], [0.5, 0, 1])

        let p = Tensor([1, 2, 3]).requiringGradient()
        let q = Tensor([1, 0, 5]).requiringGradient()
        Tensor.minimum(p, q).sum().backward()
        expectTensor(try #require(p.grad), shape: [3], [0.5, 0, 1])
        expectTensor(try #require(q.grad), shape: [3], [0.5, 1, 0])
    }

    // MARK: Gradients against central differences

    @Test func addSubtractGradients() {
        let x = seededUniform([3, 4], seed: 1), y = seededUniform([3, 4], seed: 2)
        checkGradient(of: { $0 + $1 }, at: x, y)
        checkGradient(of: { $0 - $1 }, at: x, y)
        checkGradient(of: { $0 + 2.5 }, at: x)
        checkGradient(of: { 2.5 - $0 }, at: x)
        checkGradient(of: { -$0 }, at: x)
    }

    @Test func multiplyDivideGradients() {
        let x = seededUniform([3, 4], seed: 3)
        // Denominators away from zero: magnitudes in [0.5, 1.5] with mixed signs.
        let d = seededUniform([3, 4], low: 0.5, high: 1.5, seed: 4) * Tensor([1, -1, 1, -1])
        checkGradient(of: { $0 * $1 }, at: x, d)
        checkGradient(of: { $0 / $1 }, at: x, d)
        checkGradient(of: { $0 * 3 }, at: x)
        checkGradient(of: { 3 / $0 }, at: d)
        checkGradient(of: { $0 / 4 }, at: x)
        // The same tensor on both sides.
        checkGradient(of: { $0 * $0 }, at: x)
        checkGradient(of: { $0 / ($0 * $0 + 1) }, at: x)
    }

    @Test func powGradients() {
        let base = seededUniform([2, 3], low: 0.5, high: 2, seed: 5)
        let exponent = seededUniform([2, 3], low: -2, high: 3, seed: 6)
        checkGradient(of: { Tensor.pow($0, $1) }, at: base, exponent)
        checkGradient(of: { $0.pow(3) }, at: seededUniform([2, 3], seed: 7))
        checkGradient(of: { $0.pow(-1.5) }, at: base)
        checkGradient(of: { $0.pow(0.5) }, at: base)
        // A broadcast scalar exponent that also needs its gradient.
        checkGradient(of: { Tensor.pow($0, $1) }, at: base, Tensor(Float(1.7)))
    }

    @Test func powGradientAtZeroFollowsPyTorch() throws {
        // x⁰ is constant: its gradient is 0 even at x = 0 (not 0 · 0⁻¹ = NaN).
        let x = Tensor([0, 2]).requiringGradient()
        x.pow(0).sum().backward()
        expectTensor(try #require(x.grad), shape: [2], [0, 0])
        // The same through the tensor form, for both operands: d(0^b)/db is 0 for b ≥ 0.
        let base = Tensor([0, 0, 2]).requiringGradient()
        let exponent = Tensor([0, 2, 0]).requiringGradient()
        Tensor.pow(base, exponent).sum().backward()
        expectTensor(try #require(base.grad), shape: [3], [0, 0, 0])
        expectTensor(try #require(exponent.grad), shape: [3], [0, 0, Float(Foundation.log(2.0))])
        // Positive exponents at 0 keep their ordinary derivative.
        let y = Tensor([0]).requiringGradient()
        y.pow(2).sum().backward()
        expectTensor(try #require(y.grad), shape: [1], [0])
    }

    @Test func minimumMaximumGradients() {
        let x = seededUniform([3, 4], seed: 8)
        let y = seededUniform([3, 4], seed: 9)
        // Inputs differ by far more than ε everywhere: no tie is straddled.
        #expect((x - y).abs().min().scalar > 2e-3)
        checkGradient(of: { Tensor.minimum($0, $1) }, at: x, y)
        checkGradient(of: { Tensor.maximum($0, $1) }, at: x, y)
        checkGradient(of: { Tensor.maximum($0, 0.2) }, at: seededUniform([3, 4], avoiding: [0.2], seed: 10))
        checkGradient(of: { Tensor.minimum($0, -0.2) }, at: seededUniform([3, 4], avoiding: [-0.2], seed: 11))
        // Broadcast operands: the gradient of the smaller one sums over the repeats.
        checkGradient(of: { Tensor.maximum($0, $1) }, at: seededUniform([3, 1], seed: 12), seededUniform([1, 4], seed: 13))
    }

    @Test func onlyInputsThatRequireGradientsGetThem() throws {
        let x = Tensor([1, 2]).requiringGradient()
        let constant = Tensor([3, 4])
        let y = x * constant
        #expect(y.requiresGradient)
        y.sum().backward()
        expectTensor(try #require(x.grad), shape: [2], [3, 4])
        #expect(constant.grad == nil)
        #expect((constant * constant).requiresGradient == false)
    }
}
