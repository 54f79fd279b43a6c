import Foundation

// Unary primitives. Each is a ``ScalarFunction`` — the scalar function and its derivative
// written in terms of the input `x` and the output `y` — that `unary` turns into a recorded op.

extension Tensor {
    /// e^x.
    public func exp() -> Tensor { unary("exp", Exp()) }
    /// Natural logarithm.
    public func log() -> Tensor { unary("log", Log()) }
    /// Square root.
    public func sqrt() -> Tensor { unary("sqrt", SquareRoot()) }
    /// Reciprocal square root, 1/√x.
    public func rsqrt() -> Tensor { unary("rsqrt", ReciprocalSquareRoot()) }
    /// x².
    public func squared() -> Tensor { unary("square", Square()) }
    /// |x|; the gradient at 0 is 0, as in PyTorch.
    public func abs() -> Tensor { unary("abs", AbsoluteValue()) }
    /// sin(x).
    public func sin() -> Tensor { unary("sin", Sine()) }
    /// cos(x).
    public func cos() -> Tensor { unary("cos", Cosine()) }

    /// Limits every element to `[min, max]`; the gradient passes only inside the interval.
    public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
        precondition(lower <= upper, "clamped: min \(lower) is greater than max \(upper)")
        return unary("clamp", Clamp(lower: lower, upper: upper))
    }
}

struct Exp: ScalarFunction {
    static let derivativeReadsInput = false
    func value(_ x: Float) -> Float { Foundation.exp(x) }
    func derivative(x: Float, y: Float) -> Float { y }
}

struct Log: ScalarFunction {
    func value(_ x: Float) -> Float { Foundation.log(x) }
    func derivative(x: Float, y: Float) -> Float { 1 / x }
}

struct SquareRoot: ScalarFunction {
    static let derivativeReadsInput = false
    func value(_ x: Float) -> Float { x.squareRoot() }
    func derivative(x: Float, y: Float) -> Float { 0.5 / y }
}

struct ReciprocalSquareRoot: ScalarFunction {
    static let derivativeReadsInput = false
    func value(_ x: Float) -> Float { 1 / x.squareRoot() }
    func derivative(x: Float, y: Float) -> Float { -0.5 * y * y * y }
}

struct Square: ScalarFunction {
    func value(_ x: Float) -> Float { x * x }
    func derivative(x: Float, y: Float) -> Float { 2 * x }
}

struct AbsoluteValue: ScalarFunction {
    func value(_ x: Float) -> Float { Swift.abs(x) }
    func derivative(x: Float, y: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) }
}

struct Sine: ScalarFunction {
    func value(_ x: Float) -> Float { Foundation.sin(x) }
    func derivative(x: Float, y: Float) -> Float { Foundation.cos(x) }
}

struct Cosine: ScalarFunction {
    func value(_ x: Float) -> Float { Foundation.cos(x) }
    func derivative(x: Float, y: Float) -> Float { -Foundation.sin(x) }
}

struct Clamp: ScalarFunction {
    let lower: Float, upper: Float
    func value(_ x: Float) -> Float { Swift.min(Swift.max(x, lower), upper) }
    func derivative(x: Float, y: Float) -> Float { x >= lower && x <= upper ? 1 : 0 }
}

/// The logistic function, computed without overflow for large |x|.
@inline(__always) func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
    let e = Foundation.exp(x)
    return e / (1 + e)
}
