#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The vector loop and scalar helpers shared by the update rules.
///
/// Rules write their update once, on ``Vector`` lanes; ``vectorized(_:range:_:)``
/// walks the buffers eight elements at a time (explicit SIMD: the compiler does not vectorize
/// a loop over several possibly aliasing pointers by itself), with a partial vector for the
/// tail. Lane arithmetic is IEEE per element, so results do not depend on where a chunk or a
/// vector starts.
enum UpdateMath {
    /// The lane type of the update loops.
    typealias Vector = SIMD8<Float>

    /// One vector of a parameter, its gradient and up to three state buffers (the unused ones
    /// are neither read nor written).
    struct Lanes {
        var parameter: Vector
        let gradient: Vector
        var state0: Vector
        var state1: Vector
        var state2: Vector
    }

    /// Runs `body` over `range` of `buffers`, eight elements at a time, loading the parameter,
    /// the gradient and the state buffers and storing back what `body` leaves.
    ///
    /// Pass `body` as a local function marked `@inline(__always)`: a closure literal is not
    /// reliably inlined, and a call per vector costs as much as the arithmetic.
    @inline(__always)
    static func vectorized(_ buffers: UpdateBuffers, range: Range<Int>, _ body: (inout Lanes) -> Void) {
        let states = buffers.stateCount
        precondition(states <= 3, "UpdateMath.vectorized: at most three state buffers")
        let parameter = buffers.parameter, gradient = buffers.gradient
        let state0 = states > 0 ? buffers.state(0) : parameter
        let state1 = states > 1 ? buffers.state(1) : parameter
        let state2 = states > 2 ? buffers.state(2) : parameter
        let width = Vector.scalarCount
        // Whole vectors: no lane-count test in the hot loop.
        let end = range.lowerBound + range.count / width * width
        var i = range.lowerBound
        while i < end {
            var v = Lanes(parameter: load(parameter + i), gradient: load(gradient + i),
                          state0: states > 0 ? load(state0 + i) : Vector(),
                          state1: states > 1 ? load(state1 + i) : Vector(),
                          state2: states > 2 ? load(state2 + i) : Vector())
            body(&v)
            store(v.parameter, parameter + i)
            if states > 0 { store(v.state0, state0 + i) }
            if states > 1 { store(v.state1, state1 + i) }
            if states > 2 { store(v.state2, state2 + i) }
            i += width
        }
        // The tail: one partial vector, padded with zeros that are never stored.
        let lanes = range.upperBound - end
        guard lanes > 0 else { return }
        var v = Lanes(parameter: load(parameter + end, lanes), gradient: load(gradient + end, lanes),
                      state0: states > 0 ? load(state0 + end, lanes) : Vector(),
                      state1: states > 1 ? load(state1 + end, lanes) : Vector(),
                      state2: states > 2 ? load(state2 + end, lanes) : Vector())
        body(&v)
        store(v.parameter, parameter + end, lanes)
        if states > 0 { store(v.state0, state0 + end, lanes) }
        if states > 1 { store(v.state1, state1 + end, lanes) }
        if states > 2 { store(v.state2, state2 + end, lanes) }
    }

    /// The vector at `pointer`.
    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    /// Writes `v` at `pointer`.
    @inline(__always)
    static func store(_ v: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: v, as: Vector.self)
    }

    /// The first `lanes` elements at `pointer`, zeros beyond.
    static func load(_ pointer: UnsafePointer<Float>, _ lanes: Int) -> Vector {
        var v = Vector()
        for j in 0..<lanes { v[j] = pointer[j] }
        return v
    }

    /// Writes the first `lanes` elements of `v` at `pointer`.
    static func store(_ v: Vector, _ pointer: UnsafeMutablePointer<Float>, _ lanes: Int) {
        for j in 0..<lanes { pointer[j] = v[j] }
    }

    /// The IEEE square root of each lane (NaN for negative lanes, like `Float.squareRoot()`).
    ///
    /// Written as `√|x|` per lane, then NaN where `x < 0`: on Linux `squareRoot()` keeps a
    /// libm fallback for negative inputs (errno), which blocks vectorization and costs a
    /// branch per lane; the square root of a magnitude has no such path and compiles to
    /// `sqrtps`.
    @inline(__always)
    static func squareRoot(_ v: Vector) -> Vector {
        var root = Vector()
        for j in 0..<Vector.scalarCount { root[j] = abs(v[j]).squareRoot() }
        return root.replacing(with: .nan, where: v .< 0)
    }

    /// `start + weight · (end − start)`, ATen's `lerp` (which switches form at weight 0.5 to
    /// stay exact at both ends), so that moments round as in PyTorch.
    @inline(__always)
    static func lerp(_ start: Vector, _ end: Vector, _ weight: Float) -> Vector {
        abs(weight) < 0.5 ? start + weight * (end - start) : end - (end - start) * (1 - weight)
    }

    /// `1 − beta^step` in Double, as PyTorch computes bias corrections in Python floats.
    @inline(__always)
    static func biasCorrection(_ beta: Float, step: Int) -> Double {
        1 - pow(Double(beta), Double(step))
    }
}
