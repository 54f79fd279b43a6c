import CBLAS

/// Thin, checked wrappers over `cblas_sgemm` (row-major). Transposes are passed to BLAS as
/// flags, never materialized.
///
/// Threading: OpenBLAS is switched to one thread on first use, and a large product is split
/// here into row or column blocks that run on ``Parallel``'s workers, each a single-threaded
/// `cblas_sgemm`. OpenBLAS's own threads busy-wait (`sched_yield`) between calls; next to
/// Fathom's workers, which split convolutions by image and elementwise loops by range, they
/// took the cores from them (≈ 40 % of a CompactCNN training profile was `sched_yield`).
public enum GEMM {
    /// `C = alpha · op(A) · op(B) + beta · C` for row-major matrices, where op(A) is m×k and
    /// op(B) is k×n. `lda`, `ldb`, `ldc` default to the dense row lengths.
    ///
    /// Products of at least ``parallelFLOPs`` are split across the cores, unless the caller
    /// already runs inside a ``Parallel`` chunk.
    public static func multiply(
        _ a: UnsafePointer<Float>, transposingA: Bool,
        _ b: UnsafePointer<Float>, transposingB: Bool,
        into c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0,
        lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil
    ) {
        guard m > 0, n > 0 else { return }
        let lda = lda ?? (transposingA ? m : k), ldb = ldb ?? (transposingB ? k : n), ldc = ldc ?? n
        if k == 0 {
            // BLAS leaves C untouched for k = 0 only when beta = 1; make the result explicit,
            // touching only the m×n block (a wider `ldc` leaves other data between the rows).
            for i in 0..<m {
                for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : c[i * ldc + j] * beta }
            }
            return
        }
        _ = singleThreadedBLAS
        func sgemm(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ m: Int, _ n: Int) {
            cblas_sgemm(CblasRowMajor, transposingA ? CblasTrans : CblasNoTrans, transposingB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
        let flops = 2 * m * n * k
        guard flops >= parallelFLOPs, Parallel.coreCount > 1, !Parallel.isInsideChunk else {
            sgemm(a, b, c, m, n)
            return
        }
        // Split the longer side of C into blocks of `block` rows or columns (a multiple of the
        // micro-kernels' tile) so that every worker's share is packed and computed whole.
        let block = 16
        if m >= n {
            Parallel.forEachChunk(count: (m + block - 1) / block, minimumChunk: 1) { blocks in
                let rows = blocks.lowerBound * block..<min(blocks.upperBound * block, m)
                let aRows = transposingA ? a + rows.lowerBound : a + rows.lowerBound * lda
                sgemm(aRows, b, c + rows.lowerBound * ldc, rows.count, n)
            }
        } else {
            Parallel.forEachChunk(count: (n + block - 1) / block, minimumChunk: 1) { blocks in
                let columns = blocks.lowerBound * block..<min(blocks.upperBound * block, n)
                let bColumns = transposingB ? b + columns.lowerBound * ldb : b + columns.lowerBound
                sgemm(a, bColumns, c + columns.lowerBound, m, columns.count)
            }
        }
    }

    /// Products smaller than this many floating-point operations run on the calling thread:
    /// at ~50 GFLOP/s per core, 2 MFLOP is ~40 µs, many times a thread hand-off.
    public static let parallelFLOPs = 1 << 21

    /// Switches OpenBLAS to one thread, once, before the first product (see ``GEMM``).
    private static let singleThreadedBLAS: Void = openblas_set_num_threads(1)
}
