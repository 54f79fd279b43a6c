import CKernels
import Foundation

/// Fathom's single-precision matrix product (row-major), on its own micro-kernels.
///
/// The kernels live in the C target `CKernels` (`gemm/`): packing and cache blocking as in
/// BLIS/GotoBLAS around one register-blocked micro-kernel per instruction set (AVX-512F,
/// AVX2+FMA, portable), chosen once from CPUID feature bits. Speed therefore does not depend
/// on whether the system's BLAS recognizes the CPU: Debian's OpenBLAS 0.3.21 runs its SSE3
/// kernels on recent Xeons (16 GFLOP/s on one core where this GEMM's AVX-512 path runs 90).
/// OpenBLAS stays for LAPACK and as the reference in tests and benchmarks.
///
/// Threading: each call of the C kernel is single-threaded; a large product is split here into
/// row or column blocks (whole micro-tiles) that run on ``Parallel``'s workers, so there is one
/// thread pool for every kernel of the library.
public enum GEMM {
    /// An instruction-set path of the micro-kernels. `FATHOM_ISA=avx512|avx2|generic` in the
    /// environment forces one (for tests and A/B runs); otherwise the widest supported runs.
    public enum InstructionSet: String, CaseIterable, Sendable, CustomStringConvertible {
        /// Portable C with vector extensions: SSE2 on x86-64, NEON on ARM.
        case generic
        /// AVX2 and FMA (Haswell and Zen onwards).
        case avx2
        /// AVX-512F (Skylake-SP and Zen 4 onwards).
        case avx512

        fileprivate var c: fathom_isa {
            switch self {
            case .generic: FATHOM_ISA_GENERIC
            case .avx2: FATHOM_ISA_AVX2
            case .avx512: FATHOM_ISA_AVX512
            }
        }

        /// Whether this CPU and operating system can run the path.
        public var isSupported: Bool { fathom_isa_is_supported(c) != 0 }

        /// The micro-kernel's register tile: rows and columns of C per kernel call.
        public var tile: (rows: Int, columns: Int) {
            var mr = 0, nr = 0
            fathom_gemm_tile(c, &mr, &nr)
            return (mr, nr)
        }

        /// The cache blocks (depth, rows, columns) used on this machine.
        public var blocking: (depth: Int, rows: Int, columns: Int) {
            var kc = 0, mc = 0, nc = 0
            fathom_gemm_blocking(c, &kc, &mc, &nc)
            return (kc, mc, nc)
        }

        /// The path's name as `FATHOM_ISA` spells it.
        public var description: String { rawValue }
    }

    /// The path every product takes: `FATHOM_ISA` when set and supported, else the widest.
    public static let instructionSet: InstructionSet = {
        switch fathom_isa_active() {
        case FATHOM_ISA_AVX512: .avx512
        case FATHOM_ISA_AVX2: .avx2
        default: .generic
        }
    }()

    /// Why `FATHOM_ISA` was not honoured (it names no path, or one this CPU cannot run), or nil.
    public static var instructionSetOverrideProblem: String? {
        guard fathom_isa_request_was_rejected() != 0 else { return nil }
        let requested = ProcessInfo.processInfo.environment["FATHOM_ISA"] ?? ""
        let known = InstructionSet.allCases.map(\.rawValue).joined(separator: ", ")
        return InstructionSet(rawValue: requested) == nil
            ? "FATHOM_ISA=\(requested) names no GEMM path (known: \(known)); using \(instructionSet)"
            : "FATHOM_ISA=\(requested) is not supported by this CPU; using \(instructionSet)"
    }

    /// `C = alpha · op(A) · op(B) + beta · C` for row-major matrices, where op(A) is m×k and
    /// op(B) is k×n. `lda`, `ldb`, `ldc` default to the dense row lengths. With `beta = 0`, C
    /// is written without being read. `path` picks an instruction set (it must be supported);
    /// by default ``instructionSet``.
    ///
    /// Products of at least ``parallelFLOPs`` are split across the cores, unless the caller
    /// already runs inside a ``Parallel`` chunk.
    public static func multiply(
        _ a: UnsafePointer<Float>, transposingA: Bool,
        _ b: UnsafePointer<Float>, transposingB: Bool,
        into c: UnsafeMutablePointer<Float>,
        m: Int, n: Int, k: Int, alpha: Float = 1, beta: Float = 0,
        lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil,
        path: InstructionSet = GEMM.instructionSet
    ) {
        guard m > 0, n > 0 else { return }
        precondition(path.isSupported, "GEMM: the \(path) path needs instructions this CPU lacks")
        let lda = lda ?? (transposingA ? m : k), ldb = ldb ?? (transposingB ? k : n), ldc = ldc ?? n
        let isa = path.c, ta: Int32 = transposingA ? 1 : 0, tb: Int32 = transposingB ? 1 : 0
        func sgemm(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ m: Int, _ n: Int) {
            fathom_sgemm_isa(isa, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        }
        let flops = 2 * m * n * k
        guard flops >= parallelFLOPs, Parallel.coreCount > 1, !Parallel.isInsideChunk else {
            sgemm(a, b, c, m, n)
            return
        }
        // Split the longer side of C into blocks of whole micro-tiles, so that every worker's
        // share is packed and computed without extra edge tiles.
        let tile = path.tile
        if m >= n {
            Parallel.forEachChunk(count: (m + tile.rows - 1) / tile.rows, minimumChunk: 1) { blocks in
                let rows = blocks.lowerBound * tile.rows..<min(blocks.upperBound * tile.rows, m)
                let aRows = transposingA ? a + rows.lowerBound : a + rows.lowerBound * lda
                sgemm(aRows, b, c + rows.lowerBound * ldc, rows.count, n)
            }
        } else {
            Parallel.forEachChunk(count: (n + tile.columns - 1) / tile.columns, minimumChunk: 1) { blocks in
                let columns = blocks.lowerBound * tile.columns..<min(blocks.upperBound * tile.columns, n)
                let bColumns = transposingB ? b + columns.lowerBound * ldb : b + columns.lowerBound
                sgemm(a, bColumns, c + columns.lowerBound, m, columns.count)
            }
        }
    }

    /// Products smaller than this many floating-point operations run on the calling thread:
    /// at ~50 GFLOP/s per core, 2 MFLOP is ~40 µs, many times a thread hand-off.
    public static let parallelFLOPs = 1 << 21
}
