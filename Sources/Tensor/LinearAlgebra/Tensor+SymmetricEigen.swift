import CLAPACKE

// Eigendecomposition of symmetric matrices through LAPACK's divide-and-conquer `ssyevd`,
// batched over leading axes. Not differentiable: results are detached.

extension Tensor {
    /// The eigenvalues and eigenvectors of every symmetric matrix of a `[..., n, n]` tensor:
    /// A·V = V·diag(λ) with V orthogonal.
    ///
    /// Eigenvalues `[..., n]` are in ascending order; the eigenvectors are the *columns* of
    /// `[..., n, n]` (column j belongs to eigenvalue j), as in NumPy's `eigh`. Only the lower
    /// triangle of A is read (A is assumed symmetric). Eigenvectors are unique only up to sign
    /// (and rotation within repeated eigenvalues).
    ///
    /// Not differentiable: the results are detached from the tape.
    ///
    /// - Throws: ``LinearAlgebraError/didNotConverge(op:batchIndex:)``.
    public func symmetricEigen() throws -> (eigenvalues: Tensor, eigenvectors: Tensor) {
        let op = "symmetricEigen"
        let d = MatrixBatch.dimensions(of: shape, op: op, square: true)
        let n = d.rows
        var vectors = detached()  // ssyevd overwrites A with V; copy-on-write copies it here
        var values = Tensor(shape: d.batch + [n], repeating: 0)
        let infos = vectors.withUnsafeMutableBufferPointer { vb in
            values.withUnsafeMutableBufferPointer { wb in
                let (vb, wb) = (vb.baseAddress!, wb.baseAddress!)
                return MatrixBatch.run(count: d.count, order: n, routine: "ssyevd") { i in
                    let a = vb + i * n * n, w = wb + i * n
                    if MatrixBatch.containsNaN(a, count: n * n) {
                        MatrixBatch.fillNaN(a, count: n * n)
                        MatrixBatch.fillNaN(w, count: n)
                        return MatrixBatch.nanInfo
                    }
                    return LAPACKE_ssyevd(LAPACK_ROW_MAJOR, MatrixBatch.option("V"), MatrixBatch.option("L"),
                                          Int32(n), a, Int32(n), w)
                }
            }
        }
        if let failure = MatrixBatch.firstFailure(infos) {
            throw LinearAlgebraError.didNotConverge(op: op, batchIndex: failure.batchIndex)
        }
        return (values, vectors)
    }
}
