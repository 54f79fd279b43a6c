import Foundation

// Broadcasting arithmetic: the binary primitives and their gradient rules. Each rule reduces
// its gradient back to the input's shape with `sum(toShape:)`, the adjoint of broadcasting.
//
// A rule keeps alive exactly the tensors it reads, and only when the gradient it computes is
// needed: the tape holds them until backward, so an addition that captured its operands (as
// ResNet's residual sum once did) kept two activations per block for nothing.

extension Tensor {
    /// Records a broadcasting binary op whose gradients are given as tensor expressions.
    ///
    /// `rule` receives the output gradient and, when `keepsOutput`, the op's output; it returns
    /// the gradients for `a` and `b` before broadcasting is undone (either may be `nil`, and is
    /// ignored for an input that needs no gradient).
    @inline(__always)
    static func binary(_ op: String, _ a: Tensor, _ b: Tensor, keepsOutput: Bool = false, _ f: (Float, Float) -> Float,
                       rule: @escaping (_ g: Tensor, _ y: Tensor?) -> (Tensor?, Tensor?)) -> Tensor {
        let y = ElementwiseKernels.broadcastMap(a, b, op: op, f)
        let shapeA = a.shape, shapeB = b.shape
        let needsA = a.requiresGradient, needsB = b.requiresGradient
        let savedOutput = keepsOutput ? y : nil
        return record(op, result: y, inputs: [a, b]) { g in
            let (ga, gb) = rule(g, savedOutput)
            return [needsA ? ga?.sum(toShape: shapeA) : nil, needsB ? gb?.sum(toShape: shapeB) : nil]
        }
    }

    /// `tensor` without its history when `condition` holds, for a rule to keep; else `nil`.
    @inline(__always)
    static func saved(_ tensor: Tensor, if condition: Bool) -> Tensor? { condition ? tensor.detached() : nil }

    /// Elementwise sum with broadcasting.
    ///
    /// When `a` is a temporary of `b`'s shape whose buffer nothing else holds (the result of
    /// the expression just before, as in `relu(bn(conv(x)) + x)`), the sum is written into
    /// that buffer: no allocation, and the residual sums of ResNet-style blocks cost one pass.
    /// Values and gradient are the same either way (the rule reads neither operand).
    public static func + (a: consuming Tensor, b: Tensor) -> Tensor {
        guard a.shape == b.shape, isKnownUniquelyReferenced(&a.storage) else {
            return binary("add", a, b, +) { g, _ in (g, g) }
        }
        let needsA = a.requiresGradient, needsB = b.requiresGradient
        a.addInPlace(b)  // unique: no copy
        return record("add", result: a.detached(), inputs: [a, b]) { g in [needsA ? g : nil, needsB ? g : nil] }
    }

    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        binary("subtract", a, b, -) { g, _ in (g, -g) }
    }

    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let keptA = saved(a, if: b.requiresGradient), keptB = saved(b, if: a.requiresGradient)
        return binary("multiply", a, b, *) { g, _ in (keptB.map { g * $0 }, keptA.map { g * $0 }) }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        // Both gradients divide by b; b's also reads the quotient, kept only when b needs it.
        let keptB = b.detached(), needsA = a.requiresGradient
        return binary("divide", a, b, keepsOutput: b.requiresGradient, /) { g, y in
            (needsA ? g / keptB : nil, y.map { y in -(g * y / keptB) })
        }
    }

    /// Elementwise `a` to the power `b`, with broadcasting.
    public static func pow(_ a: Tensor, _ b: Tensor) -> Tensor {
        let (ad, bd) = (a.detached(), b.detached())
        let needsA = a.requiresGradient, needsB = b.requiresGradient
        return binary("pow", a, b, { Foundation.pow($0, $1) }) { g, _ in
            (needsA ? g * ElementwiseKernels.broadcastMap(ad, bd, op: "pow", powBaseDerivative) : nil,
             needsB ? g * ElementwiseKernels.broadcastMap(ad, bd, op: "pow", powExponentDerivative) : nil)
        }
    }

    /// Elementwise minimum with broadcasting; ties share the gradient equally.
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
        selecting("minimum", a, b, { Swift.min($0, $1) }) { $0 < $1 ? 1 : ($0 == $1 ? 0.5 : 0) }
    }

    /// Elementwise maximum with broadcasting; ties share the gradient equally.
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        selecting("maximum", a, b, { Swift.max($0, $1) }) { $0 > $1 ? 1 : ($0 == $1 ? 0.5 : 0) }
    }

    /// `minimum` or `maximum`: `f` picks one operand, `weightOfA` is the share of the gradient
    /// that goes to `a` (1 where `a` was picked, ½ on ties).
    private static func selecting(_ op: String, _ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float,
                                  weightOfA: @escaping (Float, Float) -> Float) -> Tensor {
        let (ad, bd) = (a.detached(), b.detached())
        return binary(op, a, b, f) { g, _ in
            let wa = ElementwiseKernels.broadcastMap(ad, bd, op: op, weightOfA)
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
