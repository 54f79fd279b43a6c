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
/// Every transform runs on ``laneWidth`` tiles of a tile row at once (one lane per tile). A
/// tile's columns are the even and odd positions of padded input rows: `evenHalf`/`oddHalf`
/// of `2·laneWidth` consecutive values give the columns `2·tx` and `2·tx + 1` of those tiles.
struct WinogradTiling {
    let geo: ConvolutionGeometry
    /// Tiles down and across one image: the output size rounded up to even, halved.
    let tileRows: Int, tileColumns: Int
    /// Length of a padded input row: every window of a tile row, plus room for the last
    /// 16-wide load.
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

    /// Writes `V` of one input plane's tiles: element `ξ` of tile `t` goes to `v[ξ·elementStride + t]`.
    func transformInput(_ plane: UnsafePointer<Float>, into v: UnsafeMutablePointer<Float>, elementStride es: Int,
                        rows: UnsafeMutablePointer<Float>) {
        // Consecutive tile rows share two input rows: the buffers rotate instead of reloading.
        var r0 = rows, r1 = rows + rowCapacity, r2 = rows + 2 * rowCapacity, r3 = rows + 3 * rowCapacity
        for ty in 0..<tileRows {
            let top = 2 * ty - geo.padTop
            if ty == 0 {
                loadRow(plane, top, into: r0); loadRow(plane, top + 1, into: r1)
            } else {
                swap(&r0, &r2); swap(&r1, &r3)
            }
            loadRow(plane, top + 2, into: r2); loadRow(plane, top + 3, into: r3)
            forEachLaneGroup { tx, lanes in
                let d0 = Columns(r0 + 2 * tx), d1 = Columns(r1 + 2 * tx), d2 = Columns(r2 + 2 * tx), d3 = Columns(r3 + 2 * tx)
                let out = v + ty * tileColumns + tx
                // Bᵀ down the columns gives row i of Bᵀd; Bᵀ along it gives row i of V.
                @inline(__always) func emit(_ t: Columns, row i: Int) {
                    let row = t.timesB()
                    store(row.c0, out + 4 * i * es, lanes); store(row.c1, out + (4 * i + 1) * es, lanes)
                    store(row.c2, out + (4 * i + 2) * es, lanes); store(row.c3, out + (4 * i + 3) * es, lanes)
                }
                emit(d0 - d2, row: 0); emit(d1 + d2, row: 1); emit(d2 - d1, row: 2); emit(d1 - d3, row: 3)
            }
        }
    }

    /// Adds the adjoint of ``transformInput(_:into:elementStride:rows:)`` of `dV` into one input
    /// plane's gradient (`B dV Bᵀ` per tile, overlapping windows accumulating; padding dropped).
    func addInputAdjoint(_ dv: UnsafePointer<Float>, elementStride es: Int, into plane: UnsafeMutablePointer<Float>,
                         rows: UnsafeMutablePointer<Float>) {
        let cap = rowCapacity
        for ty in 0..<tileRows {
            // Even and odd positions of the four rows the tile row's windows cover.
            rows.update(repeating: 0, count: 8 * cap)
            forEachLaneGroup { tx, lanes in
                let tiles = dv + ty * tileColumns + tx
                @inline(__always) func row(_ i: Int) -> Columns {
                    Columns(load(tiles + 4 * i * es), load(tiles + (4 * i + 1) * es),
                            load(tiles + (4 * i + 2) * es), load(tiles + (4 * i + 3) * es)).timesBTransposed(lanes)
                }
                let e0 = row(0), e1 = row(1), e2 = row(2), e3 = row(3)
                @inline(__always) func add(_ d: Columns, row r: Int) {
                    // Columns 0, 2 are even positions tx, tx + 1; columns 1, 3 odd positions tx, tx + 1.
                    let even = rows + 2 * r * cap + tx, odd = even + cap
                    accumulate(d.c0, even); accumulate(d.c2, even + 1)
                    accumulate(d.c1, odd); accumulate(d.c3, odd + 1)
                }
                add(e0, row: 0); add(e1 - e2 + e3, row: 1); add(e1 + e2 - e0, row: 2); add(Columns.zero - e3, row: 3)
            }
            // Re-interleave each row and add the part inside the image.
            let interleaved = rows + 8 * cap
            let high = Swift.min(geo.width, 2 * tileColumns + 2 - geo.padLeft)
            for r in 0..<4 {
                let y = 2 * ty - geo.padTop + r
                guard y >= 0, y < geo.height, high > 0 else { continue }
                let even = rows + 2 * r * cap, odd = even + cap, target = plane + y * geo.width
                for k in stride(from: 0, through: tileColumns, by: laneWidth) {
                    storeAll(interleave(load(even + k), load(odd + k)), interleaved + 2 * k)
                }
                let source = interleaved + geo.padLeft
                for x in 0..<high { target[x] += source[x] }
            }
        }
    }

    /// Writes one output plane from `M` (element `ξ` of tile `t` at `m[ξ·elementStride + t]`):
    /// `Aᵀ M A` per tile plus `bias`, dropping positions past the output's edge.
    func transformOutput(_ m: UnsafePointer<Float>, elementStride es: Int, bias: Float, into plane: UnsafeMutablePointer<Float>) {
        let outW = geo.outWidth, outH = geo.outHeight
        for ty in 0..<tileRows {
            let y0 = plane + 2 * ty * outW, hasSecondRow = 2 * ty + 1 < outH
            forEachLaneGroup { tx, lanes in
                let tiles = m + ty * tileColumns + tx
                // Aᵀ along each row i of M: its two results s0[i], s1[i] …
                @inline(__always) func rowTimesA(_ i: Int) -> (Lanes, Lanes) {
                    let a = load(tiles + 4 * i * es), b = load(tiles + (4 * i + 1) * es)
                    let c = load(tiles + (4 * i + 2) * es), d = load(tiles + (4 * i + 3) * es)
                    return (a + b + c, b - c - d)
                }
                let r0 = rowTimesA(0), r1 = rowTimesA(1), r2 = rowTimesA(2), r3 = rowTimesA(3)
                // … then down the columns.
                let top = (r0.0 + r1.0 + r2.0 + bias, r0.1 + r1.1 + r2.1 + bias)
                let bottom = (r1.0 - r2.0 - r3.0 + bias, r1.1 - r2.1 - r3.1 + bias)
                if 2 * (tx + laneWidth) <= outW {
                    storeAll(interleave(top.0, top.1), y0 + 2 * tx)
                    if hasSecondRow { storeAll(interleave(bottom.0, bottom.1), y0 + outW + 2 * tx) }
                    return
                }
                for l in 0..<lanes {
                    let x = 2 * (tx + l), hasSecondColumn = x + 1 < outW
                    y0[x] = top.0[l]
                    if hasSecondColumn { y0[x + 1] = top.1[l] }
                    if hasSecondRow {
                        y0[outW + x] = bottom.0[l]
                        if hasSecondColumn { y0[outW + x + 1] = bottom.1[l] }
                    }
                }
            }
        }
    }

    /// Writes `dM`, the adjoint of ``transformOutput(_:elementStride:bias:into:)``, from one
    /// output plane's gradient (`A dY Aᵀ` per tile, zero past the output's edge).
    func transformOutputAdjoint(_ plane: UnsafePointer<Float>, into dm: UnsafeMutablePointer<Float>, elementStride es: Int,
                                rows: UnsafeMutablePointer<Float>) {
        let outW = geo.outWidth, outH = geo.outHeight, cap = rowCapacity
        for ty in 0..<tileRows {
            for r in 0..<2 {
                let row = rows + r * cap
                row.update(repeating: 0, count: cap)
                if 2 * ty + r < outH { row.update(from: plane + (2 * ty + r) * outW, count: outW) }
            }
            forEachLaneGroup { tx, lanes in
                let g0 = Columns(rows + 2 * tx), g1 = Columns(rows + cap + 2 * tx)
                // A down the columns (vectors over i for output columns 0 and 1) …
                let a = Columns(g0.c0, g0.c0 + g1.c0, g0.c0 - g1.c0, Lanes() - g1.c0)
                let b = Columns(g0.c1, g0.c1 + g1.c1, g0.c1 - g1.c1, Lanes() - g1.c1)
                // … then along each row: dM[i] = (a, a + b, a − b, −b)[i].
                let out = dm + ty * tileColumns + tx
                @inline(__always) func emit(_ column: Columns, column j: Int) {
                    store(column.c0, out + j * es, lanes); store(column.c1, out + (4 + j) * es, lanes)
                    store(column.c2, out + (8 + j) * es, lanes); store(column.c3, out + (12 + j) * es, lanes)
                }
                emit(a, column: 0); emit(a + b, column: 1); emit(a - b, column: 2); emit(Columns.zero - b, column: 3)
            }
        }
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

    // MARK: - Rows and lanes

    /// Copies input row `y` of `plane` (zeros outside the image) into `row`, `rowCapacity`
    /// long, so that `row[p]` is input column `p − padLeft`.
    private func loadRow(_ plane: UnsafePointer<Float>, _ y: Int, into row: UnsafeMutablePointer<Float>) {
        let low = Swift.max(0, geo.padLeft), high = Swift.min(2 * tileColumns + 2, geo.width + geo.padLeft)
        guard y >= 0, y < geo.height, low < high else { return row.update(repeating: 0, count: rowCapacity) }
        row.update(repeating: 0, count: low)
        (row + low).update(from: plane + y * geo.width + (low - geo.padLeft), count: high - low)
        (row + high).update(repeating: 0, count: rowCapacity - high)
    }

    /// Calls `body(tx, lanes)` for the tile columns of a row in groups of ``laneWidth`` (fewer `lanes` for the last).
    private func forEachLaneGroup(_ body: (_ tx: Int, _ lanes: Int) -> Void) {
        for tx in stride(from: 0, to: tileColumns, by: laneWidth) { body(tx, Swift.min(laneWidth, tileColumns - tx)) }
    }
}

/// The four columns of a 4-wide window row for ``laneWidth`` tiles (lane `l` is tile `tx + l`).
struct Columns {
    var c0, c1, c2, c3: Lanes

    static let zero = Columns(Lanes(), Lanes(), Lanes(), Lanes())

    @inline(__always) init(_ c0: Lanes, _ c1: Lanes, _ c2: Lanes, _ c3: Lanes) {
        self.c0 = c0; self.c1 = c1; self.c2 = c2; self.c3 = c3
    }

    /// Positions `2l … 2l + 3` of a row for each lane `l`: two vectors from `p` and from `p + 2`.
    @inline(__always) init(_ p: UnsafePointer<Float>) {
        let low = UnsafeRawPointer(p).loadUnaligned(as: LanePairs.self)
        let high = UnsafeRawPointer(p + 2).loadUnaligned(as: LanePairs.self)
        self.init(low.evenHalf, low.oddHalf, high.evenHalf, high.oddHalf)
    }

    /// The row times `B` (`Bᵀ` applied along it).
    @inline(__always) func timesB() -> Columns { Columns(c0 - c2, c1 + c2, c2 - c1, c1 - c3) }

    /// The row times `Bᵀ`, the adjoint of ``timesB()``, with lanes from `lanes` on zeroed
    /// (they hold values past the end of a tile row).
    @inline(__always) func timesBTransposed(_ lanes: Int) -> Columns {
        let result = Columns(c0, c1 - c2 + c3, c1 + c2 - c0, Lanes() - c3)
        guard lanes < laneWidth else { return result }
        let dead = SIMD4<Int32>(0, 1, 2, 3) .>= Int32(lanes)
        return Columns(result.c0.replacing(with: 0, where: dead), result.c1.replacing(with: 0, where: dead),
                       result.c2.replacing(with: 0, where: dead), result.c3.replacing(with: 0, where: dead))
    }

    @inline(__always) static func + (a: Columns, b: Columns) -> Columns { Columns(a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2, a.c3 + b.c3) }
    @inline(__always) static func - (a: Columns, b: Columns) -> Columns { Columns(a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2, a.c3 - b.c3) }
}

/// Tiles per vector: four, the width of SSE registers, which is what Swift code compiles to
/// here (the baseline x86-64 target); eight-wide vectors spilled registers and ran slower.
let laneWidth = 4
/// One lane per tile.
typealias Lanes = SIMD4<Float>
/// Two values per tile: consecutive positions of a row, `evenHalf`/`oddHalf` split them.
typealias LanePairs = SIMD8<Float>

/// Pairs of lanes side by side: `(e[0], o[0], e[1], o[1], …)`.
@inline(__always) private func interleave(_ e: Lanes, _ o: Lanes) -> LanePairs {
    LanePairs(e[0], o[0], e[1], o[1], e[2], o[2], e[3], o[3])
}

/// All of `v` to `p`.
@inline(__always) private func storeAll(_ v: LanePairs, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: LanePairs.self)
}

/// `laneWidth` scalars from `p` (the caller guarantees ``WinogradTiling/overread`` readable scalars).
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

/// Adds `v` to the scalars at `p`.
@inline(__always) private func accumulate(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) {
    let raw = UnsafeMutableRawPointer(p)
    raw.storeBytes(of: raw.loadUnaligned(as: Lanes.self) + v, as: Lanes.self)
}
