// Matrix inverse through LAPACK's LU (`sgetrf` + `sgetri`), batched and differentiable.

extension Tensor {
    /// The inverse of every matrix of a `[..., n, n]` tensor.
    ///
    /// Prefer ``solve(_:_:)`` to multiplying by an inverse: it is cheaper and more accurate.
    ///
    /// Differentiable: with Y = A⁻¹ and output gradient G, the gradient of A is −Yᵀ·G·Yᵀ.
    ///
    /// - Throws: ``LinearAlgebraError/singular(op:batchIndex:pivot:)`` when a matrix is exactly
    ///   singular.
    public func inverse() throws -> Tensor {
        let op = "inverse"
        let lu = LUFactorization(detached(), op: op)
        if let failure = MatrixBatch.firstFailure(lu.infos) {
            throw LinearAlgebraError.singular(op: op, batchIndex: failure.batchIndex, pivot: failure.info)
        }
        let y = lu.inverse()
        return Tensor.record(op, result: y, inputs: [self]) { g in
            [-Tensor.matmul(Tensor.matmul(y, g, transposingA: true), y, transposingB: true)]
        }
    }
}
