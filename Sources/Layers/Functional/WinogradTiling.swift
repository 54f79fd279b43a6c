import CKernels

/// The transforms of Winograd's F(2×2, 3×3) (Lavin & Gray, 2016) and their adjoints, for one
/// convolution's geometry.
///
/// Outputs are computed in 2×2 tiles; tile `(ty, tx)` reads the 4×4 input window whose top-left
/// corner is input `(2·ty − padTop, 2·tx − padLeft)`. With the 4×4 window `d`, the 3×3 kernel
/// `g` and the 2×2 tile `y`:
///
///     V = Bᵀ d B,   U = G g Gᵀ,   M = U ⊙ V (summed over input channels),   y = Aᵀ M A
///
///     Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]
///     Aᵀ = [1 1 1 0; 0 1 −1 −1]
///
/// Transformed values are stored element-major: element `ξ = 4·i + j` of every (channel, tile)
/// pair forms one matrix (channels × tiles), so that the products of all channels become one
/// GEMM per element. Windows that overhang the image read zeros (the padding); tiles that
/// overhang the output are computed and dropped, and get zero gradient.
///
/// The plane transforms run in C (`Sources/CKernels/fathom_winograd.c`) on eight tiles of a
/// tile row at once: clang's code for them ran a ResNet-18 step 1.10× faster than this
/// file's four-lane Swift SIMD version (an AVX2 build of the C added nothing: the loops are
/// bound by memory traffic). A tile's columns are the even and odd positions of padded input
/// rows, de-interleaved with shuffles. The kernel transforms, a small share, stay here.
struct WinogradTiling {
    let geo: ConvolutionGeometry
    /// Tiles down and across one image: the output size rounded up to even, halved.
    let tileRows: Int, tileColumns: Int
    /// Length of a padded input row: every window of a tile row, plus room for the C kernels'
    /// last 16-wide loads.
    let rowCapacity: Int

    init(_ geo: ConvolutionGeometry) {
        self.geo = geo
        tileRows = (geo.outHeight + 1) / 2
        tileColumns = (geo.outWidth + 1) / 2
        rowCapacity = 2 * tileColumns + 32
    }

    var tilesPerImage: Int { tileRows * tileColumns }
    /// Scratch a worker needs for its row buffers.
    var rowScratchCount: Int { 10 * rowCapacity }
    /// Scalars a transformed matrix may be read past its end by the last vector load.
    static let overread = 8

    /// The geometry as the C kernels take it.
    private var parameters: fathom_winograd_tiling {
        fathom_winograd_tiling(height: geo.height, width: geo.width, pad_top: geo.padTop, pad_left: geo.padLeft,
                               out_height: geo.outHeight, out_width: geo.outWidth, tile_rows: tileRows,
                               tile_columns: tileColumns, row_capacity: rowCapacity)
    }

    /// Writes `V` of one input plane's tiles: element `ξ` of tile `t` goes to `v[ξ·elementStride + t]`.
    func transformInput(_ plane: UnsafePointer<Float>, into v: UnsafeMutablePointer<Float>, elementStride es: Int,
                        rows: UnsafeMutablePointer<Float>) {
        withUnsafePointer(to: parameters) { fathom_winograd_input($0, plane, v, es, rows) }
    }

    /// Adds the adjoint of ``transformInput(_:into:elementStride:rows:)`` of `dV` into one input
    /// plane's gradient (`B dV Bᵀ` per tile, overlapping windows accumulating; padding dropped).
    func addInputAdjoint(_ dv: UnsafePointer<Float>, elementStride es: Int, into plane: UnsafeMutablePointer<Float>,
                         rows: UnsafeMutablePointer<Float>) {
        withUnsafePointer(to: parameters) { fathom_winograd_input_adjoint($0, dv, es, plane, rows) }
    }

    /// Writes one output plane from `M` (element `ξ` of tile `t` at `m[ξ·elementStride + t]`):
    /// `Aᵀ M A` per tile plus `bias`, dropping positions past the output's edge.
    func transformOutput(_ m: UnsafePointer<Float>, elementStride es: Int, bias: Float, into plane: UnsafeMutablePointer<Float>) {
        withUnsafePointer(to: parameters) { fathom_winograd_output($0, m, es, bias, plane) }
    }

    /// Writes `dM`, the adjoint of ``transformOutput(_:elementStride:bias:into:)``, from one
    /// output plane's gradient (`A dY Aᵀ` per tile, zero past the output's edge).
    func transformOutputAdjoint(_ plane: UnsafePointer<Float>, into dm: UnsafeMutablePointer<Float>, elementStride es: Int,
                                rows: UnsafeMutablePointer<Float>) {
        withUnsafePointer(to: parameters) { fathom_winograd_output_adjoint($0, plane, dm, es, rows) }
    }

    /// `U = G g Gᵀ` of kernels `kernels` (3×3 each, consecutive from `g`), element `ξ` of kernel
    /// `n` written to `u[ξ·elementStride + n]`; ``laneWidth`` kernels at a time, one per lane.
    static func transformKernels(_ g: UnsafePointer<Float>, _ kernels: Range<Int>, into u: UnsafeMutablePointer<Float>,
                                 elementStride es: Int) {
        for n in stride(from: kernels.lowerBound, to: kernels.upperBound, by: laneWidth) {
            let lanes = Swift.min(laneWidth, kernels.upperBound - n)
            @inline(__always) func tap(_ t: Int) -> Lanes {
                let p = g + 9 * n + t
                if lanes == laneWidth { return Lanes(p[0], p[9], p[18], p[27]) }
                var v = Lanes()
                for l in 0..<lanes { v[l] = p[9 * l] }
                return v
            }
            // G down each column of the kernels: rows i = 0…3 of Gg, three columns each …
            let k0 = tap(0), k1 = tap(1), k2 = tap(2), k3 = tap(3), k4 = tap(4), k5 = tap(5)
            let k6 = tap(6), k7 = tap(7), k8 = tap(8)
            // … then G along each row.
            @inline(__always) func emit(_ x: Lanes, _ y: Lanes, _ z: Lanes, row i: Int) {
                let base = u + 4 * i * es + n
                store(x, base, lanes)
                store(0.5 * (x + y + z), base + es, lanes)
                store(0.5 * (x - y + z), base + 2 * es, lanes)
                store(z, base + 3 * es, lanes)
            }
            emit(k0, k1, k2, row: 0)
            emit(0.5 * (k0 + k3 + k6), 0.5 * (k1 + k4 + k7), 0.5 * (k2 + k5 + k8), row: 1)
            emit(0.5 * (k0 - k3 + k6), 0.5 * (k1 - k4 + k7), 0.5 * (k2 - k5 + k8), row: 2)
            emit(k6, k7, k8, row: 3)
        }
    }

    /// Adds the adjoint of ``transformKernels(_:_:into:elementStride:)`` (`Gᵀ dU G`) of
    /// kernels `kernels` into their 3×3 gradients; ``laneWidth`` kernels at a time, one per lane.
    static func addKernelAdjoints(_ du: UnsafePointer<Float>, _ kernels: Range<Int>, elementStride es: Int,
                                  into g: UnsafeMutablePointer<Float>) {
        for n in stride(from: kernels.lowerBound, to: kernels.upperBound, by: laneWidth) {
            let lanes = Swift.min(laneWidth, kernels.upperBound - n)
            // Gᵀ along each row i of dU: three values per row …
            @inline(__always) func row(_ i: Int) -> (Lanes, Lanes, Lanes) {
                let base = du + 4 * i * es + n
                let u0 = load(base, lanes), u1 = load(base + es, lanes)
                let u2 = load(base + 2 * es, lanes), u3 = load(base + 3 * es, lanes)
                return (u0 + 0.5 * (u1 + u2), 0.5 * (u1 - u2), 0.5 * (u1 + u2) + u3)
            }
            let r0 = row(0), r1 = row(1), r2 = row(2), r3 = row(3)
            // … then Gᵀ down each column.
            @inline(__always) func add(_ u0: Lanes, _ u1: Lanes, _ u2: Lanes, _ u3: Lanes, column c: Int) {
                let top = u0 + 0.5 * (u1 + u2), middle = 0.5 * (u1 - u2), bottom = 0.5 * (u1 + u2) + u3
                @inline(__always) func scatter(_ l: Int) {
                    let k = g + 9 * (n + l) + c
                    k[0] += top[l]; k[3] += middle[l]; k[6] += bottom[l]
                }
                if lanes == laneWidth {
                    for l in 0..<laneWidth { scatter(l) }
                } else {
                    for l in 0..<lanes { scatter(l) }
                }
            }
            add(r0.0, r1.0, r2.0, r3.0, column: 0); add(r0.1, r1.1, r2.1, r3.1, column: 1); add(r0.2, r1.2, r2.2, r3.2, column: 2)
        }
    }
}

/// Kernels per vector in the kernel transforms: four, the width of the SSE registers Swift
/// compiles to here (eight-wide vectors spilled registers and ran slower).
let laneWidth = 4
/// One lane per kernel.
typealias Lanes = SIMD4<Float>

/// `laneWidth` scalars from `p`.
@inline(__always) private func load(_ p: UnsafePointer<Float>) -> Lanes {
    UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
}

/// `lanes` scalars from `p` (no read past them), the other lanes zero.
@inline(__always) private func load(_ p: UnsafePointer<Float>, _ lanes: Int) -> Lanes {
    if lanes == laneWidth { return load(p) }
    var v = Lanes()
    for l in 0..<lanes { v[l] = p[l] }
    return v
}

/// The first `lanes` lanes of `v` to `p`.
@inline(__always) private func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>, _ lanes: Int) {
    if lanes == laneWidth {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
    } else {
        for l in 0..<lanes { p[l] = v[l] }
    }
}
