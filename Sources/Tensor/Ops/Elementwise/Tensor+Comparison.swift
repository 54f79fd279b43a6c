// Comparisons give masks of 0 and 1 (no gradient); `where` selects between two tensors by a
// mask and passes gradients to the side each element came from.

extension Tensor {
    @inline(__always)
    static func compare(_ op: String, _ a: Tensor, _ b: Tensor, _ test: (Float, Float) -> Bool) -> Tensor {
        ElementwiseKernels.broadcastMap(a.detached(), b.detached(), op: op) { test($0, $1) ? 1 : 0 }
    }

    /// 1 where `a == b`, else 0 (broadcasting).
    public static func .== (a: Tensor, b: Tensor) -> Tensor { compare(".==", a, b, ==) }
    /// 1 where `a != b`, else 0 (broadcasting).
    public static func .!= (a: Tensor, b: Tensor) -> Tensor { compare(".!=", a, b, !=) }
    /// 1 where `a < b`, else 0 (broadcasting).
    public static func .< (a: Tensor, b: Tensor) -> Tensor { compare(".<", a, b, <) }
    /// 1 where `a <= b`, else 0 (broadcasting).
    public static func .<= (a: Tensor, b: Tensor) -> Tensor { compare(".<=", a, b, <=) }
    /// 1 where `a > b`, else 0 (broadcasting).
    public static func .> (a: Tensor, b: Tensor) -> Tensor { compare(".>", a, b, >) }
    /// 1 where `a >= b`, else 0 (broadcasting).
    public static func .>= (a: Tensor, b: Tensor) -> Tensor { compare(".>=", a, b, >=) }

    /// 1 where `a == b`, else 0.
    public static func .== (a: Tensor, b: Float) -> Tensor { a .== Tensor(b) }
    /// 1 where `a != b`, else 0.
    public static func .!= (a: Tensor, b: Float) -> Tensor { a .!= Tensor(b) }
    /// 1 where `a < b`, else 0.
    public static func .< (a: Tensor, b: Float) -> Tensor { a .< Tensor(b) }
    /// 1 where `a <= b`, else 0.
    public static func .<= (a: Tensor, b: Float) -> Tensor { a .<= Tensor(b) }
    /// 1 where `a > b`, else 0.
    public static func .> (a: Tensor, b: Float) -> Tensor { a .> Tensor(b) }
    /// 1 where `a >= b`, else 0.
    public static func .>= (a: Tensor, b: Float) -> Tensor { a .>= Tensor(b) }

    /// Elements of `a` where `condition` is nonzero, of `b` elsewhere (all three broadcast).
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let shape = Shape.broadcast(Shape.broadcast(condition.shape, a.shape, op: "where"), b.shape, op: "where")
        let mask = (condition.detached() .!= 0).expanded(to: shape)
        let y = ElementwiseKernels.zipMap3(mask, a.detached().expanded(to: shape), b.detached().expanded(to: shape)) {
            $0 != 0 ? $1 : $2
        }
        let shapeA = a.shape, shapeB = b.shape, needsA = a.requiresGradient, needsB = b.requiresGradient
        return record("where", result: y, inputs: [a, b]) { g in
            [needsA ? (g * mask).sum(toShape: shapeA) : nil, needsB ? (g * (1 - mask)).sum(toShape: shapeB) : nil]
        }
    }
}

infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence
