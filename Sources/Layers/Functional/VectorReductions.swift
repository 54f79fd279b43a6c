/// Sums over contiguous runs with eight independent SIMD lanes.
///
/// A plain `total += x[i]` loop is one long dependency chain that the compiler may not
/// reorder (Float addition is not associative), so it runs at one add per FP latency; eight
/// lanes of `SIMD8` break the chain and vectorize. Used by the per-channel reductions of batch
/// norm, the bias gradient and the depthwise weight gradient.
enum VectorReductions {
    /// Σ a[i].
    @inline(__always)
    static func sum(_ a: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD8<Float>(), i = 0
        while i + 8 <= count { lanes += load(a + i); i += 8 }
        var total = lanes.sum()
        while i < count { total += a[i]; i += 1 }
        return total
    }

    /// Σ a[i]·b[i].
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD8<Float>(), i = 0
        while i + 8 <= count { lanes += load(a + i) * load(b + i); i += 8 }
        var total = lanes.sum()
        while i < count { total += a[i] * b[i]; i += 1 }
        return total
    }

    /// Σ (a[i] − center)².
    @inline(__always)
    static func squaredDeviations(_ a: UnsafePointer<Float>, count: Int, from center: Float) -> Float {
        var lanes = SIMD8<Float>(), i = 0
        let c = SIMD8<Float>(repeating: center)
        while i + 8 <= count { let d = load(a + i) - c; lanes += d * d; i += 8 }
        var total = lanes.sum()
        while i < count { let d = a[i] - center; total += d * d; i += 1 }
        return total
    }

    /// (Σ g̃[i], Σ g̃[i]·(x[i] − center)) in one pass, where g̃ is `g` passed through the gate
    /// of a clamp-shaped activation applied after the affine map `z = x·scale + shift`: g̃[i] =
    /// g[i] where lower < z[i] < upper, else 0 (ReLU's and ReLU6's derivatives, recomputed from
    /// the activation's input, bit for bit the `z` of the forward pass).
    @inline(__always)
    static func gatedSumAndCenteredDot(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, count: Int, center: Float,
                                       gate: ActivationGate) -> (Float, Float) {
        var sums = SIMD8<Float>(), dots = SIMD8<Float>(), i = 0
        let c = SIMD8<Float>(repeating: center)
        while i + 8 <= count {
            let xv = load(x + i)
            let gv = gate.apply(load(g + i), input: xv)
            sums += gv
            dots += gv * (xv - c)
            i += 8
        }
        var (sum, dot) = (sums.sum(), dots.sum())
        while i < count {
            let gi = gate.apply(g[i], input: x[i])
            sum += gi; dot += gi * (x[i] - center); i += 1
        }
        return (sum, dot)
    }

    /// (Σ g[i], Σ g[i]·(x[i] − center)) in one pass.
    @inline(__always)
    static func sumAndCenteredDot(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, count: Int,
                                  center: Float) -> (Float, Float) {
        var sums = SIMD8<Float>(), dots = SIMD8<Float>(), i = 0
        let c = SIMD8<Float>(repeating: center)
        while i + 8 <= count {
            let gv = load(g + i)
            sums += gv
            dots += gv * (load(x + i) - c)
            i += 8
        }
        var (sum, dot) = (sums.sum(), dots.sum())
        while i < count { sum += g[i]; dot += g[i] * (x[i] - center); i += 1 }
        return (sum, dot)
    }

    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }
}

/// The derivative of a clamp-shaped activation (``FusedActivation``) that follows one channel's
/// affine map `z = x·scale + shift`, as a gate on the gradient: it passes where
/// `lower < z < upper`, and `z` is recomputed from `x` with the forward pass's arithmetic.
struct ActivationGate {
    let scale: Float, shift: Float, lower: Float, upper: Float

    @inline(__always)
    func apply(_ g: Float, input x: Float) -> Float {
        let z = x * scale + shift
        return z > lower && z < upper ? g : 0
    }

    @inline(__always)
    func apply(_ g: SIMD8<Float>, input x: SIMD8<Float>) -> SIMD8<Float> {
        let z = x * scale + shift
        return g.replacing(with: 0, where: .!((z .> lower) .& (z .< upper)))
    }
}
