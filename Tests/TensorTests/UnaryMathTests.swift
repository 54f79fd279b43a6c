import FathomTestSupport
import Foundation
import Testing
import Tensor

/// The unary math functions: values against the Double formulas, gradients against central
/// differences, and the IEEE corners.
@Suite struct UnaryMathTests {
    /// A unary op, the same function in Double, and an input range where it is smooth.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let op: @Sendable (Tensor) -> Tensor
        let reference: @Sendable (Double) -> Double
        let low: Float, high: Float
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "exp", op: { $0.exp() }, reference: { Foundation.exp($0) }, low: -3, high: 3),
        Case(name: "log", op: { $0.log() }, reference: { Foundation.log($0) }, low: 0.2, high: 5),
        Case(name: "sqrt", op: { $0.sqrt() }, reference: { $0.squareRoot() }, low: 0.2, high: 5),
        Case(name: "rsqrt", op: { $0.rsqrt() }, reference: { 1 / $0.squareRoot() }, low: 0.2, high: 5),
        Case(name: "squared", op: { $0.squared() }, reference: { $0 * $0 }, low: -3, high: 3),
        Case(name: "sin", op: { $0.sin() }, reference: { Foundation.sin($0) }, low: -4, high: 4),
        Case(name: "cos", op: { $0.cos() }, reference: { Foundation.cos($0) }, low: -4, high: 4),
        Case(name: "abs", op: { $0.abs() }, reference: { Swift.abs($0) }, low: -3, high: 3),
    ]

    @Test(arguments: cases)
    func valuesMatchDouble(_ c: Case) {
        let x = seededUniform([5, 7], low: c.low, high: c.high, seed: 31)
        let expected = x.scalars.map { Float(c.reference(Double($0))) }
        expectTensor(c.op(x), Tensor(shape: [5, 7], scalars: expected), absolute: 1e-6, relative: 1e-5)
        // Size-0 and rank-0 inputs keep their shapes.
        #expect(c.op(Tensor.zeros([0, 3])).shape == [0, 3])
        let scalar = Tensor(Float(c.low + c.high) / 2 + 0.1)
        #expect(c.op(scalar).shape == [])
        #expect(abs(Double(c.op(scalar).scalar) - c.reference(Double(scalar.scalar))) < 1e-5)
    }

    @Test(arguments: cases)
    func gradientsMatchCentralDifferences(_ c: Case) {
        // abs has its kink at 0.
        let x = seededUniform([3, 4], low: c.low, high: c.high, avoiding: [0], seed: 32)
        checkGradient(of: c.op, at: x)
    }

    @Test func largeInputsAreSplitAcrossCoresCorrectly() throws {
        // 90 000 elements: the map and its backward run in several chunks.
        let x = seededUniform([300, 300], low: -2, high: 2, seed: 35)
        expectTensor(x.sin(), Tensor(shape: x.shape, scalars: x.scalars.map { Float(Foundation.sin(Double($0))) }),
                     absolute: 1e-6)
        let leaf = x.requiringGradient()
        leaf.sin().sum().backward()
        expectTensor(try #require(leaf.grad), Tensor(shape: x.shape, scalars: x.scalars.map { Float(Foundation.cos(Double($0))) }),
                     absolute: 1e-6)
    }

    @Test func ieeeCorners() {
        let log = Tensor([0, -1, 1]).log().scalars
        #expect(log[0] == -.infinity)
        #expect(log[1].isNaN)
        #expect(log[2] == 0)
        #expect(Tensor([-1]).sqrt().scalars[0].isNaN)
        #expect(Tensor([0]).rsqrt().scalars[0] == .infinity)
        #expect(Tensor([100]).exp().scalars[0] == .infinity)
        #expect(Tensor([-.infinity]).exp().scalars[0] == 0)
        #expect(Tensor([-0.0]).abs().scalars[0].sign == .plus)
    }

    @Test func absGradientAtZeroIsZero() throws {
        let x = Tensor([-2, 0, 3]).requiringGradient()
        x.abs().sum().backward()
        expectTensor(try #require(x.grad), shape: [3], [-1, 0, 1])
    }

    @Test func clampValues() {
        let x = Tensor([-3, -1, 0, 0.5, 2, 7])
        expectTensor(x.clamped(min: -1, max: 2), shape: [6], [-1, -1, 0, 0.5, 2, 2])
        expectTensor(x.clamped(min: 0), shape: [6], [0, 0, 0, 0.5, 2, 7])
        expectTensor(x.clamped(max: 0), shape: [6], [-3, -1, 0, 0, 0, 0])
        expectTensor(x.clamped(min: 1, max: 1), shape: [6], [1, 1, 1, 1, 1, 1])
    }

    @Test func clampGradient() throws {
        // Inside the interval the gradient passes, outside it is zero.
        let x = Tensor([-3, 0.5, 7]).requiringGradient()
        x.clamped(min: -1, max: 2).sum().backward()
        expectTensor(try #require(x.grad), shape: [3], [0, 1, 0])
        checkGradient(of: { $0.clamped(min: -0.5, max: 0.4) },
                          at: seededUniform([4, 5], avoiding: [-0.5, 0.4], seed: 33))
    }

    @Test func compositions() {
        // Chains of unary ops, where each rule sees the gradient of the next.
        let x = seededUniform([2, 3], low: 0.3, high: 2, seed: 34)
        checkGradient(of: { $0.log().sin().exp() }, at: x)
        checkGradient(of: { ($0.sqrt() * $0.cos()).squared() }, at: x)
        checkGradient(of: { $0.rsqrt() + $0.abs().log() }, at: x)
    }
}
