import CLAPACKE

// Cholesky factorization through LAPACK's `spotrf`, batched over leading axes. Not
// differentiable: the result is detached.

extension Tensor {
    /// The Cholesky factor of every symmetric positive-definite matrix of a `[..., n, n]`
    /// tensor: lower-triangular L with A = L·Lᵀ, or with `upper: true` upper-triangular U with
    /// A = Uᵀ·U.
    ///
    /// Only the triangle being factored is read (A is assumed symmetric); the other triangle of
    /// the result is zero.
    ///
    /// Not differentiable: the result is detached from the tape.
    ///
    /// - Throws: ``LinearAlgebraError/notPositiveDefinite(op:batchIndex:minor:)``.
    public func cholesky(upper: Bool = false) throws -> Tensor {
        let op = "cholesky"
        let d = MatrixBatch.dimensions(of: shape, op: op, square: true)
        let n = d.rows
        var result = detached()  // spotrf works in place; copy-on-write copies the input here
        let infos = result.withUnsafeMutableBufferPointer { rb in
            let rb = rb.baseAddress!
            return MatrixBatch.run(count: d.count, order: n, routine: "spotrf") { i in
                let m = rb + i * n * n
                if MatrixBatch.containsNaN(m, count: n * n) {
                    MatrixBatch.fillNaN(m, count: n * n)
                    return MatrixBatch.nanInfo
                }
                let info = LAPACKE_spotrf(LAPACK_ROW_MAJOR, MatrixBatch.option(upper ? "U" : "L"), Int32(n), m, Int32(n))
                // spotrf leaves the other triangle as it was: clear it.
                for r in 0..<n {
                    let columns = upper ? 0..<r : (r + 1)..<n
                    for c in columns { m[r * n + c] = 0 }
                }
                return info
            }
        }
        if let failure = MatrixBatch.firstFailure(infos) {
            throw LinearAlgebraError.notPositiveDefinite(op: op, batchIndex: failure.batchIndex, minor: failure.info)
        }
        return result
    }
}
