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
