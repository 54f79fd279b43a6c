import FathomTestSupport
import Foundation
import Testing
import Tensor

/// Activation functions: values against the Double formulas (GELU in its exact erf form),
/// stability for large |x|, and gradients away from the kinks.
@Suite struct ActivationTests {
    static func gelu(_ x: Double) -> Double { 0.5 * x * (1 + erf(x / 2.0.squareRoot())) }
    static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
    static func softplus(_ x: Double) -> Double { Foundation.log1p(Foundation.exp(x)) }

    let x = seededUniform([4, 6], low: -5, high: 8, seed: 41)

    func expectMatches(_ y: Tensor, _ f: (Double) -> Double, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = Tensor(shape: x.shape, scalars: x.scalars.map { Float(f(Double($0))) })
        expectTensor(y, expected, absolute: 1e-6, relative: 1e-5, sourceLocation: sourceLocation)
    }

    @Test func piecewiseLinearValues() {
        let t = Tensor([-2, -0.5, 0, 3, 6, 9])
        expectTensor(t.relu(), shape: [6], [0, 0, 0, 3, 6, 9])
        expectTensor(t.relu6(), shape: [6], [0, 0, 0, 3, 6, 6])
        expectTensor(t.leakyRelu(), shape: [6], [-0.02, -0.005, 0, 3, 6, 9])
        expectTensor(t.leakyRelu(negativeSlope: 0.2), shape: [6], [-0.4, -0.1, 0, 3, 6, 9])
        expectMatches(x.relu()) { max($0, 0) }
        expectMatches(x.relu6()) { min(max($0, 0), 6) }
    }

    @Test func smoothValuesMatchDouble() {
        expectMatches(x.sigmoid(), Self.sigmoid)
        expectMatches(x.tanh()) { Foundation.tanh($0) }
        expectMatches(x.gelu(), Self.gelu)
        expectMatches(x.softplus(), Self.softplus)
    }

    @Test func geluIsTheExactErfFormNotTheTanhApproximation() {
        // At x = 1 the two forms differ by about 1.6e-4: the exact value is 0.8413447…
        let y = Tensor([1, -1, 2.5]).gelu().scalars
        #expect(abs(Double(y[0]) - 0.841_344_746) < 2e-6)
        #expect(abs(Double(y[1]) - -0.158_655_254) < 2e-6)
        #expect(abs(Double(y[2]) - Self.gelu(2.5)) < 2e-6)
    }

    @Test func largeInputsAreStable() throws {
        let big = Tensor([-1000, -100, -30, 30, 100, 1000])
        let s = big.sigmoid().scalars
        #expect(s.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(s[0] == 0 && s[5] == 1 && s[4] == 1)
        #expect(s[1] > 0 && s[1] < 1e-38)  // e^-100 survives as a subnormal
        let sp = big.softplus().scalars
        #expect(sp.allSatisfy { $0.isFinite && $0 >= 0 })
        #expect(sp[5] == 1000 && sp[4] == 100)
        #expect(abs(sp[3] - 30) < 1e-5)
        #expect(sp[0] == 0)
        #expect(big.tanh().scalars == [-1, -1, -1, 1, 1, 1])
        #expect(big.gelu().scalars[5] == 1000 && big.gelu().scalars[0] == 0)

        // Gradients saturate to 0 or 1, never NaN.
        for op in [{ (t: Tensor) in t.sigmoid() }, { $0.softplus() }, { $0.tanh() }, { $0.gelu() }] {
            let leaf = big.requiringGradient()
            op(leaf).sum().backward()
            let g = try #require(leaf.grad).scalars
            #expect(g.allSatisfy { $0.isFinite && $0 >= -1e-6 && $0 <= 1 + 1e-6 }, "\(g)")
        }
    }

    @Test func kinkGradientsFollowPyTorch() throws {
        // relu'(0) = 0, relu6'(6) = 0, leakyRelu'(0) = slope.
        let t = Tensor([-1, 0, 2, 6, 7]).requiringGradient()
        t.relu().sum().backward()
        expectTensor(try #require(t.grad), shape: [5], [0, 0, 1, 1, 1])
        let u = Tensor([-1, 0, 2, 6, 7]).requiringGradient()
        u.relu6().sum().backward()
        expectTensor(try #require(u.grad), shape: [5], [0, 0, 1, 0, 0])
        let v = Tensor([-1, 0, 2]).requiringGradient()
        v.leakyRelu(negativeSlope: 0.1).sum().backward()
        expectTensor(try #require(v.grad), shape: [3], [0.1, 0.1, 1])
    }

    @Test func gradientsMatchCentralDifferences() {
        let wide = seededUniform([3, 5], low: -8, high: 8, avoiding: [0, 6], seed: 42)
        checkGradient(of: { $0.relu() }, at: wide)
        checkGradient(of: { $0.relu6() }, at: wide)
        checkGradient(of: { $0.leakyRelu(negativeSlope: 0.2) }, at: wide)
        let smooth = seededUniform([3, 5], low: -4, high: 4, seed: 43)
        checkGradient(of: { $0.sigmoid() }, at: smooth)
        checkGradient(of: { $0.tanh() }, at: smooth)
        checkGradient(of: { $0.gelu() }, at: smooth)
        checkGradient(of: { $0.softplus() }, at: smooth)
    }
}
