import Foundation

// Broadcasting arithmetic: the binary primitives and their gradient rules. Each rule reduces
// its gradient back to the input's shape with `sum(toShape:)`, the adjoint of broadcasting.

extension Tensor {
    /// Records a broadcasting binary op whose gradients are given as tensor expressions.
    @inline(__always)
    static func binary(_ op: String, _ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float,
                       rule: @escaping (_ g: Tensor, _ y: Tensor) -> (Tensor?, Tensor?)) -> Tensor {
        let y = ElementwiseKernels.broadcastMap(a, b, op: op, f)
        return record(op, result: y, inputs: [a, b]) { g in
            let (ga, gb) = rule(g, y)
            return [a.requiresGradient ? ga?.sum(toShape: a.shape) : nil,
                    b.requiresGradient ? gb?.sum(toShape: b.shape) : nil]
        }
    }

    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        binary("add", a, b, +) { g, _ in (g, g) }
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        binary("subtract", a, b, -) { g, _ in (g, -g) }
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        binary("multiply", a, b, *) { g, _ in
            (a.requiresGradient ? g * b.detached() : nil, b.requiresGradient ? g * a.detached() : nil)
        }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        binary("divide", a, b, /) { g, y in
            (a.requiresGradient ? g / b.detached() : nil,
             b.requiresGradient ? -(g * y / b.detached()) : nil)
        }
    }

    /// Elementwise `a` to the power `b`, with broadcasting.
    public static func pow(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary("pow", a, b, { Foundation.pow($0, $1) }) { g, _ in
            let (ad, bd) = (a.detached(), b.detached())
            return (a.requiresGradient ? g * ElementwiseKernels.broadcastMap(ad, bd, op: "pow", powBaseDerivative) : nil,
                    b.requiresGradient ? g * ElementwiseKernels.broadcastMap(ad, bd, op: "pow", powExponentDerivative) : nil)
        }
    }

    /// Elementwise minimum with broadcasting; ties share the gradient equally.
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary("minimum", a, b, { Swift.min($0, $1) }) { g, _ in
            let a = a.detached(), b = b.detached()
            let wa = ElementwiseKernels.broadcastMap(a, b, op: "minimum") { $0 < $1 ? 1 : ($0 == $1 ? 0.5 : 0) }
            return (g * wa, g * (1 - wa))
        }
    }

    /// Elementwise maximum with broadcasting; ties share the gradient equally.
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary("maximum", a, b, { Swift.max($0, $1) }) { g, _ in
            let a = a.detached(), b = b.detached()
            let wa = ElementwiseKernels.broadcastMap(a, b, op: "maximum") { $0 > $1 ? 1 : ($0 == $1 ? 0.5 : 0) }
            return (g * wa, g * (1 - wa))
        }
    }

    /// Elementwise negation.
    public static prefix func - (x: Tensor) -> Tensor {
        let y = ElementwiseKernels.map(x) { -$0 }
        return record("negate", result: y, inputs: [x]) { g in [-g] }
    }

    /// Elementwise `self` to a scalar power.
    public func pow(_ exponent: Float) -> Tensor {
        let x = self
        let y = ElementwiseKernels.map(x) { Foundation.pow($0, exponent) }
        return Tensor.record("pow", result: y, inputs: [x]) { g in
            [ElementwiseKernels.zipMap(g, x.detached()) { $0 * powBaseDerivative($1, exponent) }]
        }
    }
}

/// d(aᵇ)/da, 0 for b = 0 even at a = 0 (where b·a^(b−1) would be 0·∞), as in PyTorch.
@inline(__always) func powBaseDerivative(_ a: Float, _ b: Float) -> Float {
    b == 0 ? 0 : b * Foundation.pow(a, b - 1)
}

/// d(aᵇ)/db = aᵇ·ln a, taken as 0 at a = 0 for b ≥ 0 (where it would be 0·(−∞)), as in PyTorch.
@inline(__always) func powExponentDerivative(_ a: Float, _ b: Float) -> Float {
    a == 0 && b >= 0 ? 0 : Foundation.pow(a, b) * Foundation.log(a)
}

// Tensor–scalar forms: the scalar becomes a rank-0 tensor, so one rule serves both.
extension Tensor {
    /// Adds a scalar to every element.
    public static func + (a: Tensor, b: Float) -> Tensor { a + Tensor(b) }
    /// Adds a scalar to every element.
    public static func + (a: Float, b: Tensor) -> Tensor { Tensor(a) + b }
    /// Subtracts a scalar from every element.
    public static func - (a: Tensor, b: Float) -> Tensor { a - Tensor(b) }
    /// Subtracts every element from a scalar.
    public static func - (a: Float, b: Tensor) -> Tensor { Tensor(a) - b }
    /// Multiplies every element by a scalar.
    public static func * (a: Tensor, b: Float) -> Tensor { a * Tensor(b) }
    /// Multiplies every element by a scalar.
    public static func * (a: Float, b: Tensor) -> Tensor { Tensor(a) * b }
    /// Divides every element by a scalar.
    public static func / (a: Tensor, b: Float) -> Tensor { a / Tensor(b) }
    /// Divides a scalar by every element.
    public static func / (a: Float, b: Tensor) -> Tensor { Tensor(a) / b }

    /// `a = a + b`.
    public static func += (a: inout Tensor, b: Tensor) { a = a + b }
    /// `a = a - b`.
    public static func -= (a: inout Tensor, b: Tensor) { a = a - b }
    /// `a = a * b`.
    public static func *= (a: inout Tensor, b: Tensor) { a = a * b }
    /// `a = a / b`.
    public static func /= (a: inout Tensor, b: Tensor) { a = a / b }
    /// `a = a + b`.
    public static func += (a: inout Tensor, b: Float) { a = a + b }
    /// `a = a - b`.
    public static func -= (a: inout Tensor, b: Float) { a = a - b }
    /// `a = a * b`.
    public static func *= (a: inout Tensor, b: Float) { a = a * b }
    /// `a = a / b`.
    public static func /= (a: inout Tensor, b: Float) { a = a / b }

    /// Elementwise minimum with a scalar.
    public static func minimum(_ a: Tensor, _ b: Float) -> Tensor { minimum(a, Tensor(b)) }
    /// Elementwise maximum with a scalar.
    public static func maximum(_ a: Tensor, _ b: Float) -> Tensor { maximum(a, Tensor(b)) }
}
