import Foundation

// Determinants from LAPACK's LU (`sgetrf`): the product of U's diagonal with the sign of the
// row permutation, accumulated in Double. Differentiable, including at singular matrices.

extension Tensor {
    /// The determinant of every matrix of a `[..., n, n]` tensor, shape `[...]`.
    ///
    /// Never throws: a singular matrix has determinant 0, and a matrix holding NaN gives NaN.
    /// The product is accumulated in Double, then rounded to Float (it may overflow to ±∞ where
    /// ``logAbsDeterminant()`` stays finite).
    ///
    /// Differentiable: the gradient of det(A) is the cofactor matrix, det(A)·A⁻ᵀ. At a singular
    /// matrix, where A⁻ᵀ does not exist but the cofactors do, it is computed from the SVD
    /// instead, so the gradient stays exact on rank-deficient matrices.
    public func determinant() -> Tensor {
        let lu = LUFactorization(detached(), op: "determinant")
        let (sign, logAbs) = lu.signAndLogAbsDeterminants()
        let det = Tensor(shape: lu.batch, scalars: zip(sign, logAbs).map { Float($0 * Foundation.exp($1)) })
        let a = detached()
        return Tensor.record("determinant", result: det, inputs: [self]) { g in
            [Tensor.cofactors(of: a, lu: lu, determinants: det) * g.reshaped(to: lu.batch + [1, 1])]
        }
    }

    /// log |det| of every matrix of a `[..., n, n]` tensor, shape `[...]`: finite where the
    /// determinant itself would overflow or underflow Float, −∞ for a singular matrix.
    ///
    /// Differentiable: the gradient is A⁻ᵀ (NaN at a singular matrix, where log |det| has no
    /// derivative).
    public func logAbsDeterminant() -> Tensor {
        let lu = LUFactorization(detached(), op: "logAbsDeterminant")
        let result = Tensor(shape: lu.batch, scalars: lu.signAndLogAbsDeterminants().logAbs.map { Float($0) })
        return Tensor.record("logAbsDeterminant", result: result, inputs: [self]) { g in
            [lu.inverse().transposed() * g.reshaped(to: lu.batch + [1, 1])]
        }
    }

    /// The cofactor matrices (the gradient of the determinant): det(A)·A⁻ᵀ from the LU
    /// factors, or from the SVD for the matrices the LU found singular.
    static func cofactors(of a: Tensor, lu: LUFactorization, determinants: Tensor) -> Tensor {
        let n = lu.n
        var result = lu.inverse().transposed() * determinants.reshaped(to: lu.batch + [1, 1])
        let singular = lu.infos.indices.filter { lu.infos[$0] > 0 }
        guard !singular.isEmpty else { return result }
        result.withUnsafeMutableBufferPointer { rb in
            a.withUnsafeBufferPointer { ab in
                for i in singular {
                    singularCofactors(ab.baseAddress! + i * n * n, n: n, into: rb.baseAddress! + i * n * n)
                }
            }
        }
        return result
    }

    /// The cofactor matrix of one n×n matrix, valid when it is singular.
    ///
    /// With A = U·diag(s)·Vᵀ, adj(A) = adj(Vᵀ)·adj(diag(s))·adj(U), and adj(Q) = det(Q)·Qᵀ for
    /// orthogonal Q, so cof(A) = adj(A)ᵀ = det(U)·det(V)·U·diag(d)·Vᵀ with d_i = Π_{j≠i} s_j.
    /// Nothing is divided by a zero singular value, so rank-deficient matrices are fine.
    static func singularCofactors(_ a: UnsafePointer<Float>, n: Int, into out: UnsafeMutablePointer<Float>) {
        var work = Array(UnsafeBufferPointer(start: a, count: n * n))
        var s = [Float](repeating: 0, count: n)
        var u = [Float](repeating: 0, count: n * n), vt = [Float](repeating: 0, count: n * n)
        let info = SingularValueKernel.decompose(&work, rows: n, columns: n, s: &s, u: &u, vt: &vt, full: true)
        guard info == 0 else {
            MatrixBatch.fillNaN(out, count: n * n)
            return
        }
        let sign = orthogonalDeterminant(u, n: n) * orthogonalDeterminant(vt, n: n)
        for j in 0..<n {
            var d = sign
            for i in 0..<n where i != j { d *= Double(s[i]) }
            for i in 0..<n { u[i * n + j] *= Float(d) }
        }
        GEMM.multiply(u, transposingA: false, vt, transposingB: false, into: out, m: n, n: n, k: n)
    }

    /// det(Q) = ±1 of an orthogonal n×n matrix, from its LU factorization.
    private static func orthogonalDeterminant(_ q: [Float], n: Int) -> Double {
        let lu = LUFactorization(Tensor(shape: [n, n], scalars: q), op: "determinant")
        return lu.signAndLogAbsDeterminants().sign[0]
    }
}
