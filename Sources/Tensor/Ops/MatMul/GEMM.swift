import CBLAS

/// Thin, checked wrappers over `cblas_sgemm` (row-major). Transposes are passed to BLAS as
/// flags, never materialized.
public enum GEMM {
    /// `C = alpha · op(A) · op(B) + beta · C` for row-major matrices, where op(A) is m×k and
    /// op(B) is k×n. `lda`, `ldb`, `ldc` default to the dense row lengths.
    @inlinable
    public static func multiply(
        _ a: UnsafePointer<Float>, transposingA: Bool,
        _ b: UnsafePointer<Float>, transposingB: Bool,
        into c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0,
        lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            // BLAS leaves C untouched for k = 0 only when beta = 1; make the result explicit,
            // touching only the m×n block (a wider `ldc` leaves other data between the rows).
            let ldc = ldc ?? n
            for i in 0..<m {
                for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : c[i * ldc + j] * beta }
            }
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transposingA ? CblasTrans : CblasNoTrans,
                    transposingB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda ?? (transposingA ? m : k)),
                    b, Int32(ldb ?? (transposingB ? k : n)),
                    beta, c, Int32(ldc ?? n))
    }
}
