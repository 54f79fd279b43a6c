/// Why a LAPACK-backed routine could not produce its result for one matrix of its input.
///
/// These are conditions of the *values* (a singular matrix is a legitimate tensor), so the
/// routines throw rather than stop the program. Shape errors (a non-square matrix, a
/// right-hand side of the wrong height) are programmer errors and stay preconditions naming the
/// op and the shapes. NaN is not an error either: a matrix holding NaN gives NaN results, as
/// elementwise ops do. ``Tensor/determinant()`` never throws: a singular matrix has
/// determinant 0.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The LU factorization met an exactly zero pivot, so the matrix has no inverse.
    ///
    /// `batchIndex` is the row-major index of the failing matrix over the leading axes (0 for a
    /// single matrix); `pivot` is LAPACK's `info`, the 1-based index of the zero diagonal
    /// element of U.
    case singular(op: String, batchIndex: Int, pivot: Int)
    /// The leading minor of order `minor` (1-based, LAPACK's `info`) is not positive, so the
    /// matrix is not positive definite and has no Cholesky factor.
    case notPositiveDefinite(op: String, batchIndex: Int, minor: Int)
    /// The iterative part of an SVD or eigendecomposition did not converge.
    case didNotConverge(op: String, batchIndex: Int)

    /// A sentence naming the op, the matrix and the problem.
    public var description: String {
        switch self {
        case let .singular(op, batchIndex, pivot):
            return "\(op): matrix \(batchIndex) of the batch is singular (U[\(pivot - 1), \(pivot - 1)] is exactly zero)"
        case let .notPositiveDefinite(op, batchIndex, minor):
            return "\(op): matrix \(batchIndex) of the batch is not positive definite (leading minor of order \(minor) is not positive)"
        case let .didNotConverge(op, batchIndex):
            return "\(op): the iteration did not converge for matrix \(batchIndex) of the batch"
        }
    }
}
