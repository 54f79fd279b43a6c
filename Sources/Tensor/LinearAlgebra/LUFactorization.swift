import CLAPACKE
import Foundation

/// The LU factorization with partial pivoting (`sgetrf`) of a stack of square matrices.
///
/// Solve, inverse and determinant all start here, and their backward rules keep the factors:
/// the gradient of a solve is one more solve with the transposed factors (`sgetrs 'T'`), with
/// no second factorization.
struct LUFactorization {
    /// L (unit diagonal, below) and U (on and above the diagonal), row-major, shape
    /// `batch + [n, n]`.
    let factors: Tensor
    /// LAPACK's 1-based row interchanges, `n` per matrix.
    let pivots: [Int32]
    /// Per matrix: 0, the 1-based index of the first exactly zero pivot of U, or
    /// ``MatrixBatch/nanInfo`` when the matrix held NaN (its factors are then NaN).
    let infos: [Int32]
    /// The leading axes.
    let batch: [Int]
    /// The order of the matrices.
    let n: Int

    /// Factors every matrix of `a` (shape `[..., n, n]`), stopping with a message naming `op`
    /// when the matrices are not square.
    init(_ a: Tensor, op: String) {
        let d = MatrixBatch.dimensions(of: a.shape, op: op, square: true)
        let n = d.rows
        var factors = a.detached()  // copy-on-write: the first write below copies the input
        var pivots = [Int32](repeating: 0, count: d.count * n)
        infos = factors.withUnsafeMutableBufferPointer { f in
            pivots.withUnsafeMutableBufferPointer { p in
                let f = f.baseAddress!, p = p.baseAddress!
                return MatrixBatch.run(count: d.count, order: n, routine: "sgetrf") { i in
                    let m = f + i * n * n
                    if MatrixBatch.containsNaN(m, count: n * n) {
                        MatrixBatch.fillNaN(m, count: n * n)
                        return MatrixBatch.nanInfo
                    }
                    return LAPACKE_sgetrf(LAPACK_ROW_MAJOR, Int32(n), Int32(n), m, Int32(n), p + i * n)
                }
            }
        }
        self.factors = factors
        self.pivots = pivots
        self.batch = d.batch
        self.n = n
    }

    /// `op(A)⁻¹ · rhs` for every matrix, where `op` transposes when asked (`sgetrs`).
    ///
    /// `rhs` has shape `target + [n, k]`, where the leading axes `target` are `batch` or a
    /// broadcast of it. Matrices that are singular or hold NaN (in A or in the right-hand side)
    /// give NaN.
    func solve(_ rhs: Tensor, transposed: Bool) -> Tensor {
        let target = Array(rhs.shape.dropLast(2)), k = rhs.shape[rhs.rank - 1]
        var x = rhs.detached()
        guard n > 0, k > 0 else { return x }
        let source = MatrixBatch.sourceIndices(from: batch, to: target)
        let trans = MatrixBatch.option(transposed ? "T" : "N")
        let (n, infos) = (self.n, self.infos)
        x.withUnsafeMutableBufferPointer { xb in
            factors.withUnsafeBufferPointer { fb in
                pivots.withUnsafeBufferPointer { pb in
                    let xb = xb.baseAddress!, fb = fb.baseAddress!, pb = pb.baseAddress!
                    _ = MatrixBatch.run(count: source.count, order: n, routine: "sgetrs") { i in
                        let j = source[i], xm = xb + i * n * k
                        if infos[j] != 0 || MatrixBatch.containsNaN(xm, count: n * k) {
                            MatrixBatch.fillNaN(xm, count: n * k)
                            return 0
                        }
                        return LAPACKE_sgetrs(LAPACK_ROW_MAJOR, trans, Int32(n), Int32(k),
                                              fb + j * n * n, Int32(n), pb + j * n, xm, Int32(k))
                    }
                }
            }
        }
        return x
    }

    /// A⁻¹ for every matrix (`sgetri`); singular matrices and matrices with NaN give NaN.
    func inverse() -> Tensor {
        var result = factors
        let (n, infos) = (self.n, self.infos)
        result.withUnsafeMutableBufferPointer { rb in
            pivots.withUnsafeBufferPointer { pb in
                let rb = rb.baseAddress!, pb = pb.baseAddress!
                _ = MatrixBatch.run(count: infos.count, order: n, routine: "sgetri") { i in
                    let m = rb + i * n * n
                    if infos[i] != 0 {
                        MatrixBatch.fillNaN(m, count: n * n)
                        return 0
                    }
                    return LAPACKE_sgetri(LAPACK_ROW_MAJOR, Int32(n), m, Int32(n), pb + i * n)
                }
            }
        }
        return result
    }

    /// The determinant of every matrix, as its sign (±1, or 0 when singular) and log |det|,
    /// accumulated in Double (NaN for matrices that held NaN).
    func signAndLogAbsDeterminants() -> (sign: [Double], logAbs: [Double]) {
        var sign = [Double](repeating: 1, count: infos.count)
        var logAbs = [Double](repeating: 0, count: infos.count)
        factors.withUnsafeBufferPointer { fb in
            pivots.withUnsafeBufferPointer { pb in
                for i in 0..<infos.count {
                    if infos[i] == MatrixBatch.nanInfo {
                        (sign[i], logAbs[i]) = (.nan, .nan)
                    } else {
                        (sign[i], logAbs[i]) = Self.signAndLogAbsDeterminant(
                            factors: fb.baseAddress! + i * n * n, pivots: pb.baseAddress! + i * n, n: n)
                    }
                }
            }
        }
        return (sign, logAbs)
    }

    /// sign(det) and log |det| of one matrix from its LU factors: the product of U's diagonal,
    /// negated once per row interchange.
    static func signAndLogAbsDeterminant(factors: UnsafePointer<Float>, pivots: UnsafePointer<Int32>,
                                         n: Int) -> (sign: Double, logAbs: Double) {
        var sign = 1.0, logAbs = 0.0
        for i in 0..<n {
            let u = Double(factors[i * n + i])
            if u == 0 { return (0, -.infinity) }
            if u < 0 { sign = -sign }
            if Int(pivots[i]) != i + 1 { sign = -sign }
            logAbs += Foundation.log(Swift.abs(u))
        }
        return (sign, logAbs)
    }
}
