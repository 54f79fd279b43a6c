import Foundation
import Testing
import Tensor

// Central finite differences against the tape, shared by every gradient test of TensorTests.
//
// The objective is `L = Σ f(x) ⊙ w` with `w` a fixed random tensor: a plain sum would hide
// errors that cancel (for example a softmax gradient, whose plain sum is always 0), a random
// weighting exposes every element of the Jacobian product. The tape's gradient of `L` is
// compared with `(L(x + ε) − L(x − ε)) / 2ε`, where `L` is accumulated in Double from the
// Float evaluations of `f`, and `2ε` is the difference actually representable in Float.

/// The tolerances of a gradient comparison: an element passes when
/// `|tape − numeric| ≤ absolute + relative · max(|tape|, |numeric|)`.
struct GradientTolerance {
    /// The step added to and subtracted from each input element.
    var epsilon: Float = 1e-3
    /// The relative part of the allowed difference.
    var relative: Double = 1e-2
    /// The absolute part of the allowed difference.
    var absolute: Double = 1e-3
}

/// Checks the tape gradient of a one-input function `f` at `x` against central differences.
func checkGradient(
    _ f: (Tensor) -> Tensor, at x: Tensor, tolerance: GradientTolerance = GradientTolerance(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    checkGradients({ f($0[0]) }, at: [x], tolerance: tolerance, sourceLocation: sourceLocation)
}

/// Checks the tape gradients of a two-input function `f` at `(a, b)` (binary ops, matmul).
func checkGradient(
    _ f: (Tensor, Tensor) -> Tensor, at a: Tensor, _ b: Tensor,
    tolerance: GradientTolerance = GradientTolerance(), sourceLocation: SourceLocation = #_sourceLocation
) {
    checkGradients({ f($0[0], $0[1]) }, at: [a, b], tolerance: tolerance, sourceLocation: sourceLocation)
}

/// Checks the tape gradient of `f` with respect to every input in `inputs`.
func checkGradients(
    _ f: ([Tensor]) -> Tensor, at inputs: [Tensor], tolerance: GradientTolerance = GradientTolerance(),
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let inputs = inputs.map { $0.detached() }
    // A fixed weighting of the output's shape: magnitudes in [0.5, 1.5) with random signs,
    // away from 0 so that no element of the output escapes the comparison.
    let outputShape = withoutGradients { f(inputs).shape }
    var generator = RandomGenerator(seed: 0x6772_6164)
    let weights = Tensor.uniform(outputShape, low: 0.5, high: 1.5, generator: &generator)
        * Tensor.bernoulli(outputShape, probability: 0.5, generator: &generator).mappingScalars { 2 * $0 - 1 }
    let w = weights.scalars

    func objective(_ values: [Tensor]) -> Double {
        let y = withoutGradients { f(values) }
        return zip(y.scalars, w).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    // The tape.
    let leaves = inputs.map { $0.requiringGradient() }
    let loss = (f(leaves) * weights).sum()
    loss.backward()

    for (index, input) in inputs.enumerated() {
        guard let tape = leaves[index].grad else {
            Issue.record("checkGradient: no gradient reached input \(index) of shape \(input.shape)",
                         sourceLocation: sourceLocation)
            continue
        }
        guard tape.shape == input.shape else {
            Issue.record("checkGradient: gradient of shape \(tape.shape) for input \(index) of shape \(input.shape)",
                         sourceLocation: sourceLocation)
            continue
        }
        let (tapeValues, inputValues) = (tape.scalars, input.scalars)
        var worst: (element: Int, tape: Double, numeric: Double, excess: Double)?
        var failures = 0
        for element in 0..<input.scalarCount {
            var plus = inputs, minus = inputs
            let x = inputValues[element]
            let (xPlus, xMinus) = (x + tolerance.epsilon, x - tolerance.epsilon)
            plus[index].withUnsafeMutableBufferPointer { $0[element] = xPlus }
            minus[index].withUnsafeMutableBufferPointer { $0[element] = xMinus }
            let numeric = (objective(plus) - objective(minus)) / (Double(xPlus) - Double(xMinus))
            let analytic = Double(tapeValues[element])
            let allowed = tolerance.absolute + tolerance.relative * Swift.max(Swift.abs(analytic), Swift.abs(numeric))
            let excess = Swift.abs(analytic - numeric) - allowed
            let badness = excess.isNaN ? Double.infinity : excess  // NaN on either side fails
            guard badness > 0 else { continue }
            failures += 1
            if badness > worst?.excess ?? 0 { worst = (element, analytic, numeric, badness) }
        }
        if let worst {
            Issue.record("""
                checkGradient: input \(index) of shape \(input.shape): \(failures) element(s) off; worst is \
                element \(worst.element), tape \(worst.tape) vs central difference \(worst.numeric)
                """, sourceLocation: sourceLocation)
        }
    }
}

extension Tensor {
    /// `f` applied to every scalar, for building expected values in tests (no tape).
    func mappingScalars(_ f: (Float) -> Float) -> Tensor {
        Tensor(shape: shape, scalars: scalars.map(f))
    }
}

/// Expects `a` and `b` to have one shape and scalars equal within `absolute + relative · |b|`
/// (NaN matches NaN, infinities match exactly); reports the first mismatch at the caller.
func expectTensor(
    _ a: Tensor, _ b: Tensor, absolute: Float = 1e-5, relative: Float = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard a.shape == b.shape else {
        Issue.record("shape \(a.shape) differs from expected \(b.shape)", sourceLocation: sourceLocation)
        return
    }
    let (x, y) = (a.scalars, b.scalars)
    for i in 0..<x.count {
        let same = x[i] == y[i] || (x[i].isNaN && y[i].isNaN)
        if !same && !(Swift.abs(x[i] - y[i]) <= absolute + relative * Swift.abs(y[i])) {
            Issue.record("element \(i): \(x[i]) vs expected \(y[i]) (shape \(a.shape))", sourceLocation: sourceLocation)
            return
        }
    }
}

/// ``expectTensor(_:_:absolute:relative:sourceLocation:)`` against a shape and expected scalars.
func expectTensor(
    _ a: Tensor, shape: [Int], _ expected: [Float], absolute: Float = 1e-5, relative: Float = 1e-5,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectTensor(a, Tensor(shape: shape, scalars: expected), absolute: absolute, relative: relative,
                 sourceLocation: sourceLocation)
}

/// A reproducible random tensor in `[low, high)` for test inputs.
func seededUniform(_ shape: [Int], low: Float = -1, high: Float = 1, seed: UInt64 = 1) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return Tensor.uniform(shape, low: low, high: high, generator: &generator)
}

/// A random tensor whose elements are at least `margin` away from every point in `kinks` (so
/// that finite differences never straddle a point where the function is not differentiable).
func seededUniform(_ shape: [Int], low: Float = -1, high: Float = 1, avoiding kinks: [Float],
                   margin: Float = 0.05, seed: UInt64 = 1) -> Tensor {
    seededUniform(shape, low: low, high: high, seed: seed).mappingScalars { v in
        var v = v
        for kink in kinks where Swift.abs(v - kink) < margin { v = v < kink ? kink - margin : kink + margin }
        return v
    }
}

/// The checker itself: it must pass a correct rule and catch a wrong one.
@Suite struct GradientCheckSelfTests {
    /// `2x` recorded with a deliberately wrong rule (`3g` instead of `2g`).
    static func doubledWithWrongRule(_ x: Tensor) -> Tensor {
        let y = Tensor(shape: x.shape, scalars: x.scalars.map { 2 * $0 })
        return Tensor.record("wrongDouble", result: y, inputs: [x]) { g in [g * 3] }
    }

    @Test func passesACorrectRule() {
        checkGradient({ $0 * 2 }, at: seededUniform([3, 2]))
    }

    @Test func catchesAWrongRule() {
        withKnownIssue("the rule returns 3g for y = 2x") {
            checkGradient(Self.doubledWithWrongRule, at: seededUniform([3, 2]))
        }
    }

    @Test func catchesAWrongRuleOnOneElementOnly() {
        // A gradient that is off by 2 % on a single element is still caught.
        let x = seededUniform([4])
        let skewed: (Tensor) -> Tensor = { x in
            let y = x.detached()
            return Tensor.record("skewed", result: y, inputs: [x]) { g in [g * Tensor([1, 1, 1.02, 1])] }
        }
        withKnownIssue("element 2 is 2 % off") { checkGradient(skewed, at: x) }
    }

    @Test func catchesAMissingGradient() {
        withKnownIssue("the second input gets no gradient") {
            checkGradient({ a, b in a * 2 + b.detached() }, at: seededUniform([2]), seededUniform([2], seed: 2))
        }
    }
}
