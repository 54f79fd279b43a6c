/// The loop behind every reduction: one axis of a tensor viewed as `[outer, n, inner]`.
///
/// Reducing the middle axis with the inner axis contiguous keeps the innermost loop a
/// straight, vectorizable pass over memory. Multi-axis reductions apply this axis by axis.
enum ReductionKernels {
    /// Reduces `axis` of `x` with `combine`, starting every accumulator at `initial`.
    /// The result keeps the axis with size 1.
    @inline(__always)
    static func reduce(_ x: Tensor, axis: Int, initial: Float, _ combine: (Float, Float) -> Float) -> Tensor {
        var outShape = x.shape
        let n = outShape[axis]
        outShape[axis] = 1
        let outer = Shape.count(of: Array(x.shape[..<axis]))
        let inner = Shape.count(of: Array(x.shape[(axis + 1)...]))
        return Tensor(shape: outShape) { out in
            x.withUnsafeBufferPointer { src in
                let s = src.baseAddress!, o = out.baseAddress!
                if inner == 1 {
                    // Contiguous rows: reduce each row with a few independent accumulators so
                    // the loop is not one long dependency chain.
                    Parallel.forEachChunk(count: outer, minimumChunk: max(1, 16_384 / max(n, 1))) { range in
                        for r in range {
                            let row = s + r * n
                            var a0 = initial, a1 = initial, a2 = initial, a3 = initial
                            var k = 0
                            while k + 4 <= n {
                                a0 = combine(a0, row[k]); a1 = combine(a1, row[k + 1])
                                a2 = combine(a2, row[k + 2]); a3 = combine(a3, row[k + 3])
                                k += 4
                            }
                            while k < n { a0 = combine(a0, row[k]); k += 1 }
                            o[r] = combine(combine(a0, a1), combine(a2, a3))
                        }
                    }
                } else {
                    Parallel.forEachChunk(count: outer, minimumChunk: max(1, 16_384 / max(n * inner, 1))) { range in
                        for r in range {
                            let dst = o + r * inner
                            for j in 0..<inner { dst[j] = initial }
                            for k in 0..<n {
                                let row = s + (r * n + k) * inner
                                for j in 0..<inner { dst[j] = combine(dst[j], row[j]) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Reduces several axes (each kept with size 1).
    static func reduce(_ x: Tensor, axes: [Int], initial: Float, _ combine: (Float, Float) -> Float) -> Tensor {
        var result = x
        for axis in axes.reversed() where x.shape[axis] != 1 || x.scalarCount == 0 {
            result = reduce(result, axis: axis, initial: initial, combine)
        }
        return result
    }

    /// Sums several axes (each kept with size 1), with the SIMD path for contiguous rows.
    static func sum(_ x: Tensor, axes: [Int]) -> Tensor {
        var result = x
        for axis in axes.reversed() where x.shape[axis] != 1 || x.scalarCount == 0 {
            let inner = Shape.count(of: Array(result.shape[(axis + 1)...]))
            result = inner == 1 ? sumRows(result, axis: axis) : reduce(result, axis: axis, initial: 0, +)
        }
        return result
    }

    /// Sums the last non-trivial axis when it is contiguous: fixed 16 Ki-element blocks summed
    /// with SIMD accumulators, in parallel, then added in block order. The block size does not
    /// depend on the core count, so the result is the same on every machine.
    private static func sumRows(_ x: Tensor, axis: Int) -> Tensor {
        var outShape = x.shape
        let n = outShape[axis]
        outShape[axis] = 1
        let rows = Shape.count(of: outShape)
        let block = 16_384
        let blocksPerRow = max(1, (n + block - 1) / block)
        var partials = [Float](repeating: 0, count: rows * blocksPerRow)
        x.withUnsafeBufferPointer { src in
            let s = src.baseAddress!
            partials.withUnsafeMutableBufferPointer { partial in
                let p = partial.baseAddress!
                Parallel.forEachChunk(count: rows * blocksPerRow, minimumChunk: max(1, 32_768 / max(1, min(n, block)))) { range in
                    for job in range {
                        let row = job / blocksPerRow, b = job % blocksPerRow
                        let start = b * block, end = min(n, start + block)
                        p[job] = simdSum(s + row * n + start, end - start)
                    }
                }
            }
        }
        return Tensor(shape: outShape) { out in
            for row in 0..<rows {
                var total: Float = 0
                for b in 0..<blocksPerRow { total += partials[row * blocksPerRow + b] }
                out[row] = total
            }
        }
    }

    /// The sum of `count` contiguous floats with two 16-lane accumulators.
    @inline(__always)
    static func simdSum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        var a = SIMD16<Float>(), b = SIMD16<Float>()
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 32 <= count {
            a += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD16<Float>.self)
            b += raw.loadUnaligned(fromByteOffset: (i + 16) * 4, as: SIMD16<Float>.self)
            i += 32
        }
        var total = (a + b).sum()
        while i < count { total += p[i]; i += 1 }
        return total
    }
}
