import CLAPACKE

// Singular value decomposition through LAPACK's divide-and-conquer `sgesdd`, batched over
// leading axes. Not differentiable: results are detached.

extension Tensor {
    /// The singular value decomposition A = U·diag(S)·Vᵀ of every matrix of a `[..., m, n]`
    /// tensor, with singular values in descending order.
    ///
    /// With k = min(m, n), the reduced decomposition (the default) gives U `[..., m, k]`,
    /// S `[..., k]` and Vᵀ `[..., k, n]`; `fullMatrices: true` gives square U `[..., m, m]` and
    /// Vᵀ `[..., n, n]`. Singular vectors are unique only up to sign (and rotation within
    /// repeated singular values); the signs are LAPACK's, as in NumPy.
    ///
    /// Not differentiable: the results are detached from the tape (use ``singularValues()``
    /// when the vectors are not needed; it is cheaper).
    ///
    /// - Throws: ``LinearAlgebraError/didNotConverge(op:batchIndex:)``.
    public func svd(fullMatrices: Bool = false) throws -> (u: Tensor, s: Tensor, vt: Tensor) {
        let (u, s, vt) = try SingularValueKernel.decompose(self, op: "svd", vectors: fullMatrices ? .full : .reduced)
        return (u!, s, vt!)
    }

    /// The singular values of every matrix of a `[..., m, n]` tensor, descending, shape
    /// `[..., min(m, n)]` (`sgesdd` without vectors). Not differentiable: detached.
    ///
    /// - Throws: ``LinearAlgebraError/didNotConverge(op:batchIndex:)``.
    public func singularValues() throws -> Tensor {
        try SingularValueKernel.decompose(self, op: "singularValues", vectors: .none).s
    }
}

/// The per-matrix `sgesdd` call, shared by ``Tensor/svd(fullMatrices:)``,
/// ``Tensor/singularValues()`` and the determinant's gradient at singular matrices.
enum SingularValueKernel {
    /// Which singular vectors to compute.
    enum Vectors { case none, reduced, full }

    /// Decomposes every matrix of `a`; `u` and `vt` are `nil` for `.none`.
    static func decompose(_ a: Tensor, op: String, vectors: Vectors) throws -> (u: Tensor?, s: Tensor, vt: Tensor?) {
        let d = MatrixBatch.dimensions(of: a.shape, op: op, square: false)
        let (m, n) = (d.rows, d.columns)
        let k = Swift.min(m, n)
        let uColumns = vectors == .full ? m : k, vtRows = vectors == .full ? n : k
        var work = a.detached()  // sgesdd destroys its input; copy-on-write copies it here
        var s = Tensor(shape: d.batch + [k], repeating: 0)
        var u = Tensor(shape: d.batch + [m, vectors == .none ? 0 : uColumns], repeating: 0)
        var vt = Tensor(shape: d.batch + [vectors == .none ? 0 : vtRows, n], repeating: 0)
        let infos = work.withUnsafeMutableBufferPointer { wb in
            s.withUnsafeMutableBufferPointer { sb in
                u.withUnsafeMutableBufferPointer { ub in
                    vt.withUnsafeMutableBufferPointer { vb in
                        let (wb, sb, ub, vb) = (wb.baseAddress!, sb.baseAddress!, ub.baseAddress!, vb.baseAddress!)
                        // An empty matrix (k = 0) has no singular values: nothing to run.
                        return MatrixBatch.run(count: d.count, order: k == 0 ? 0 : Swift.max(m, n), routine: "sgesdd") { i in
                            let wantsVectors = vectors != .none
                            return decompose(wb + i * m * n, rows: m, columns: n, s: sb + i * k,
                                             u: wantsVectors ? ub + i * m * uColumns : nil,
                                             vt: wantsVectors ? vb + i * vtRows * n : nil,
                                             full: vectors == .full)
                        }
                    }
                }
            }
        }
        if let failure = MatrixBatch.firstFailure(infos) {
            throw LinearAlgebraError.didNotConverge(op: op, batchIndex: failure.batchIndex)
        }
        if k == 0 && vectors == .full {
            // The full bases of an empty matrix are still orthogonal: identities.
            (u, vt) = (Tensor.eye(m).expanded(to: u.shape), Tensor.eye(n).expanded(to: vt.shape))
        }
        return vectors == .none ? (nil, s, nil) : (u, s, vt)
    }

    /// `sgesdd` on one row-major m×n matrix at `a` (destroyed). Without `u` and `vt` only the
    /// singular values are computed; otherwise `u` holds m×m (`full`) or m×min(m, n) scalars
    /// and `vt` n×n or min(m, n)×n. A matrix holding NaN gives NaN everywhere.
    static func decompose(_ a: UnsafeMutablePointer<Float>, rows m: Int, columns n: Int,
                          s: UnsafeMutablePointer<Float>, u: UnsafeMutablePointer<Float>?,
                          vt: UnsafeMutablePointer<Float>?, full: Bool) -> Int32 {
        let k = Swift.min(m, n)
        guard let u, let vt else {
            if MatrixBatch.containsNaN(a, count: m * n) {
                MatrixBatch.fillNaN(s, count: k)
                return MatrixBatch.nanInfo
            }
            // Without vectors LAPACKE still checks ldu ≥ 1 and ldvt ≥ n but reads neither array.
            var unusedU: Float = 0, unusedVT: Float = 0
            return LAPACKE_sgesdd(LAPACK_ROW_MAJOR, MatrixBatch.option("N"), Int32(m), Int32(n), a,
                                  Int32(n), s, &unusedU, 1, &unusedVT, Int32(n))
        }
        let uColumns = full ? m : k, vtRows = full ? n : k
        if MatrixBatch.containsNaN(a, count: m * n) {
            MatrixBatch.fillNaN(s, count: k)
            MatrixBatch.fillNaN(u, count: m * uColumns)
            MatrixBatch.fillNaN(vt, count: vtRows * n)
            return MatrixBatch.nanInfo
        }
        return LAPACKE_sgesdd(LAPACK_ROW_MAJOR, MatrixBatch.option(full ? "A" : "S"), Int32(m), Int32(n), a,
                              Int32(n), s, u, Int32(uColumns), vt, Int32(n))
    }
}
