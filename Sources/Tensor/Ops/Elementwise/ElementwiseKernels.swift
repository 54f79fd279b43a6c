/// The loops behind every elementwise op: unary maps and NumPy-broadcast binary maps over raw
/// buffers, split across cores for large tensors. The ops in this folder only choose the scalar
/// functions; these loops are the single place that walks memory.
enum ElementwiseKernels {
    /// `f` applied to every scalar of `x`.
    @inline(__always)
    static func map(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
        Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { a in
                let a = a.baseAddress!, o = out.baseAddress!
                Parallel.forEachChunk(count: out.count) { range in
                    for i in range { o[i] = f(a[i]) }
                }
            }
        }
    }

    /// `f` applied to matching scalars of two same-shaped tensors.
    @inline(__always)
    static func zipMap(_ x: Tensor, _ y: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(x.shape == y.shape, "zipMap: shapes \(x.shape) and \(y.shape) differ")
        return Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { a in
                y.withUnsafeBufferPointer { b in
                    let a = a.baseAddress!, b = b.baseAddress!, o = out.baseAddress!
                    Parallel.forEachChunk(count: out.count) { range in
                        for i in range { o[i] = f(a[i], b[i]) }
                    }
                }
            }
        }
    }

    /// `f` applied to matching scalars of three same-shaped tensors (used by backward rules
    /// that need the input, the output and the incoming gradient at once).
    @inline(__always)
    static func zipMap3(_ x: Tensor, _ y: Tensor, _ z: Tensor, _ f: (Float, Float, Float) -> Float) -> Tensor {
        precondition(x.shape == y.shape && y.shape == z.shape,
                     "zipMap3: shapes \(x.shape), \(y.shape) and \(z.shape) differ")
        return Tensor(shape: x.shape) { out in
            x.withUnsafeBufferPointer { a in
                y.withUnsafeBufferPointer { b in
                    z.withUnsafeBufferPointer { c in
                        let a = a.baseAddress!, b = b.baseAddress!, c = c.baseAddress!, o = out.baseAddress!
                        Parallel.forEachChunk(count: out.count) { range in
                            for i in range { o[i] = f(a[i], b[i], c[i]) }
                        }
                    }
                }
            }
        }
    }

    /// `f` over the NumPy broadcast of `x` and `y`.
    ///
    /// Same shapes and scalar operands take flat loops; otherwise the innermost axis runs as a
    /// tight loop with per-operand stride 0 or 1 and the outer axes are walked with a counter.
    @inline(__always)
    static func broadcastMap(_ x: Tensor, _ y: Tensor, op: String, _ f: (Float, Float) -> Float) -> Tensor {
        if x.shape == y.shape { return zipMap(x, y, f) }
        let shape = Shape.broadcast(x.shape, y.shape, op: op)
        return Tensor(shape: shape) { out in
            x.withUnsafeBufferPointer { a in
                y.withUnsafeBufferPointer { b in
                    let a = a.baseAddress!, b = b.baseAddress!, o = out.baseAddress!
                    let n = out.count
                    if x.scalarCount == 1 && shape == y.shape {
                        let s = a[0]
                        Parallel.forEachChunk(count: n) { r in for i in r { o[i] = f(s, b[i]) } }
                        return
                    }
                    if y.scalarCount == 1 && shape == x.shape {
                        let s = b[0]
                        Parallel.forEachChunk(count: n) { r in for i in r { o[i] = f(a[i], s) } }
                        return
                    }
                    guard n > 0 else { return }
                    let sa = Shape.broadcastStrides(from: x.shape, to: shape)
                    let sb = Shape.broadcastStrides(from: y.shape, to: shape)
                    let rank = shape.count
                    let inner = shape[rank - 1]
                    let ia = sa[rank - 1], ib = sb[rank - 1]
                    let rows = n / inner
                    Parallel.forEachChunk(count: rows, minimumChunk: max(1, 32_768 / max(inner, 1))) { rowRange in
                        // Walk the outer index of the first row of this chunk, then step it.
                        var index = [Int](repeating: 0, count: rank)
                        var rest = rowRange.lowerBound
                        for axis in stride(from: rank - 2, through: 0, by: -1) {
                            index[axis] = rest % shape[axis]
                            rest /= shape[axis]
                        }
                        var offA = 0, offB = 0
                        for axis in 0..<(rank - 1) { offA += index[axis] * sa[axis]; offB += index[axis] * sb[axis] }
                        for row in rowRange {
                            let o = o + row * inner
                            if ia == 1 && ib == 1 {
                                for j in 0..<inner { o[j] = f(a[offA + j], b[offB + j]) }
                            } else if ia == 0 && ib == 1 {
                                let s = a[offA]
                                for j in 0..<inner { o[j] = f(s, b[offB + j]) }
                            } else if ia == 1 && ib == 0 {
                                let s = b[offB]
                                for j in 0..<inner { o[j] = f(a[offA + j], s) }
                            } else {
                                for j in 0..<inner { o[j] = f(a[offA + j * ia], b[offB + j * ib]) }
                            }
                            // Advance the outer index like an odometer.
                            var axis = rank - 2
                            while axis >= 0 {
                                index[axis] += 1
                                offA += sa[axis]; offB += sb[axis]
                                if index[axis] < shape[axis] { break }
                                offA -= sa[axis] * shape[axis]; offB -= sb[axis] * shape[axis]
                                index[axis] = 0
                                axis -= 1
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// Adds `other` into this tensor in place (same shape). Used to accumulate gradients
    /// without allocating.
    public mutating func addInPlace(_ other: Tensor) {
        precondition(shape == other.shape, "addInPlace: shapes \(shape) and \(other.shape) differ")
        let n = scalarCount
        other.withUnsafeBufferPointer { b in
            withUnsafeMutableBufferPointer { a in
                let a = a.baseAddress!, b = b.baseAddress!
                Parallel.forEachChunk(count: n) { r in for i in r { a[i] += b[i] } }
            }
        }
    }

    /// Sums this tensor down to `target`, a shape it was broadcast from: the reverse of
    /// broadcasting, used by every binary op's backward rule.
    public func sum(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        let pad = rank - target.count
        precondition(pad >= 0, "sum(toShape:): cannot reduce \(shape) to larger rank \(target)")
        var axes: [Int] = Array(0..<pad)
        for i in 0..<target.count where target[i] == 1 && shape[pad + i] != 1 { axes.append(pad + i) }
        let reduced = axes.isEmpty ? self : sum(alongAxes: axes, keepingDimensions: true)
        return reduced.reshaped(to: target)
    }
}
