// Linear systems A·X = B through LAPACK's LU (`sgetrf` + `sgetrs`, the two halves of `sgesv`),
// batched over leading axes with broadcasting, and differentiable in both A and B.

extension Tensor {
    /// The solution X of `a · X = b`, for square `a` of shape `[..., n, n]`.
    ///
    /// `b` is a stack of vectors `[..., n]` or of matrices `[..., n, k]`; as in PyTorch, `b` is
    /// taken as vectors when it has rank 1, or rank `a.rank - 1` with `b.shape == a.shape`
    /// minus its last axis. The leading axes of `a` and `b` broadcast (NumPy rules); each
    /// matrix of `a` is factored once however many right-hand sides read it.
    ///
    /// Differentiable in `a` and `b`: with X = A⁻¹B and output gradient G, the gradient of B is
    /// A⁻ᵀG (one more solve with the saved factors, transposed) and that of A is −(A⁻ᵀG)·Xᵀ.
    ///
    /// - Throws: ``LinearAlgebraError/singular(op:batchIndex:pivot:)`` when a matrix of `a` is
    ///   exactly singular.
    public static func solve(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        let op = "solve"
        let d = MatrixBatch.dimensions(of: a.shape, op: op, square: true)
        let n = d.rows
        let isVector = b.rank == 1 || (b.rank == a.rank - 1 && b.shape == Array(a.shape.dropLast()))
        let bShape = isVector ? b.shape + [1] : b.shape
        precondition(bShape.count >= 2 && bShape[bShape.count - 2] == n,
                     "solve: right-hand side of shape \(b.shape) does not fit the \(n)×\(n) matrices of shape \(a.shape)")
        let k = bShape[bShape.count - 1]
        let batch = Shape.broadcast(d.batch, Array(bShape.dropLast(2)),
                                    op: "solve (batch axes of \(a.shape) and \(b.shape))")

        let lu = LUFactorization(a.detached(), op: op)
        if let failure = MatrixBatch.firstFailure(lu.infos) {
            throw LinearAlgebraError.singular(op: op, batchIndex: failure.batchIndex, pivot: failure.info)
        }
        let rhs = b.detached().reshaped(to: bShape).expanded(to: batch + [n, k])
        let x = lu.solve(rhs, transposed: false)
        let resultShape = isVector ? batch + [n] : batch + [n, k]
        let (needA, needB) = (a.requiresGradient, b.requiresGradient)
        return record(op, result: x.reshaped(to: resultShape), inputs: [a, b]) { g in
            let gb = lu.solve(g.reshaped(to: batch + [n, k]), transposed: true)
            let ga = needA ? (-Tensor.matmul(gb, x, transposingB: true)).sum(toShape: a.shape) : nil
            return [ga, needB ? gb.sum(toShape: bShape).reshaped(to: b.shape) : nil]
        }
    }
}
