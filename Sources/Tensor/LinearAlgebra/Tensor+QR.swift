import CLAPACKE

// Reduced QR decomposition through LAPACK's Householder routines (`sgeqrf` + `sorgqr`),
// batched over leading axes. Not differentiable: results are detached. Orthogonal weight
// initialization is built on it.

extension Tensor {
    /// The reduced QR decomposition A = Q·R of every matrix of a `[..., m, n]` tensor.
    ///
    /// With k = min(m, n), Q `[..., m, k]` has orthonormal columns and R `[..., k, n]` is upper
    /// triangular (trapezoidal when m < n). The signs are LAPACK's, as in NumPy and PyTorch: the
    /// diagonal of R may be negative (multiply Q's columns and R's rows by its signs for the
    /// unique decomposition with a non-negative diagonal).
    ///
    /// Never fails: every matrix has a QR decomposition (a matrix holding NaN gives NaN).
    /// Not differentiable: the results are detached from the tape.
    public func qr() -> (q: Tensor, r: Tensor) {
        let d = MatrixBatch.dimensions(of: shape, op: "qr", square: false)
        let (m, n) = (d.rows, d.columns)
        let k = Swift.min(m, n)
        var work = detached()  // sgeqrf works in place; copy-on-write copies the input here
        var q = Tensor(shape: d.batch + [m, k], repeating: 0)
        var r = Tensor(shape: d.batch + [k, n], repeating: 0)
        _ = work.withUnsafeMutableBufferPointer { wb in
            q.withUnsafeMutableBufferPointer { qb in
                r.withUnsafeMutableBufferPointer { rb in
                    let (wb, qb, rb) = (wb.baseAddress!, qb.baseAddress!, rb.baseAddress!)
                    return MatrixBatch.run(count: d.count, order: k == 0 ? 0 : Swift.max(m, n), routine: "sgeqrf/sorgqr") { i in
                        let a = wb + i * m * n, qm = qb + i * m * k, rm = rb + i * k * n
                        if MatrixBatch.containsNaN(a, count: m * n) {
                            MatrixBatch.fillNaN(qm, count: m * k)
                            MatrixBatch.fillNaN(rm, count: k * n)
                            return MatrixBatch.nanInfo
                        }
                        return withUnsafeTemporaryAllocation(of: Float.self, capacity: k) { tau in
                            let tau = tau.baseAddress!
                            let info = LAPACKE_sgeqrf(LAPACK_ROW_MAJOR, Int32(m), Int32(n), a, Int32(n), tau)
                            guard info == 0 else { return info }
                            // R is the upper triangle of the first k rows; the reflectors below
                            // it become Q (its first k columns, with the row stride of A).
                            for row in 0..<k {
                                for c in row..<n { rm[row * n + c] = a[row * n + c] }
                            }
                            let status = LAPACKE_sorgqr(LAPACK_ROW_MAJOR, Int32(m), Int32(k), Int32(k), a, Int32(n), tau)
                            for row in 0..<m {
                                (qm + row * k).update(from: a + row * n, count: k)
                            }
                            return status
                        }
                    }
                }
            }
        }
        return (q, r)
    }
}
