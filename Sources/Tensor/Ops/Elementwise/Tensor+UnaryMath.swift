import Foundation

// Unary primitives. Each is one scalar function and its derivative written in terms of the
// input `x` and the output `y`; `unary` turns that pair into a recorded op, so adding a
// function here is one line (tinygrad's table, in Swift).

extension Tensor {
    /// Records `f` applied elementwise, with `derivative(x, y)` = dy/dx.
    @inline(__always)
    func unary(_ op: String, _ f: (Float) -> Float,
               derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
        let x = self
        let y = ElementwiseKernels.map(x, f)
        return Tensor.record(op, result: y, inputs: [x]) { g in
            [ElementwiseKernels.zipMap3(x.detached(), y, g) { x, y, g in g * derivative(x, y) }]
        }
    }

    /// e^x.
    public func exp() -> Tensor { unary("exp", { Foundation.exp($0) }) { _, y in y } }
    /// Natural logarithm.
    public func log() -> Tensor { unary("log", { Foundation.log($0) }) { x, _ in 1 / x } }
    /// Square root.
    public func sqrt() -> Tensor { unary("sqrt", { $0.squareRoot() }) { _, y in 0.5 / y } }
    /// Reciprocal square root, 1/√x.
    public func rsqrt() -> Tensor { unary("rsqrt", { 1 / $0.squareRoot() }) { _, y in -0.5 * y * y * y } }
    /// x².
    public func squared() -> Tensor { unary("square", { $0 * $0 }) { x, _ in 2 * x } }
    /// |x|; the gradient at 0 is 0, as in PyTorch.
    public func abs() -> Tensor { unary("abs", { Swift.abs($0) }) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) } }
    /// sin(x).
    public func sin() -> Tensor { unary("sin", { Foundation.sin($0) }) { x, _ in Foundation.cos(x) } }
    /// cos(x).
    public func cos() -> Tensor { unary("cos", { Foundation.cos($0) }) { x, _ in -Foundation.sin(x) } }

    /// Limits every element to `[min, max]`; the gradient passes only inside the interval.
    public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
        precondition(lower <= upper, "clamped: min \(lower) is greater than max \(upper)")
        return unary("clamp", { Swift.min(Swift.max($0, lower), upper) }) { x, _ in
            x >= lower && x <= upper ? 1 : 0
        }
    }
}

/// The logistic function, computed without overflow for large |x|.
@inline(__always) func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
    let e = Foundation.exp(x)
    return e / (1 + e)
}
