#ifndef FATHOM_GEMM_H
#define FATHOM_GEMM_H

/// Fathom's single-precision matrix product, designed like BLIS/GotoBLAS: panels of A and B
/// packed into contiguous, zero-padded micro-panels, cache blocks sized from the CPU's cache
/// hierarchy, and one small register-blocked micro-kernel per instruction set. The kernel set
/// is chosen once, from CPUID feature bits (never model numbers), through function-level
/// `target` attributes: one build serves every x86-64 CPU and needs no compiler flags.
///
/// Each call is single-threaded; the Swift side (`GEMM.multiply`) splits large products
/// across the cores with `Parallel`. Packing buffers are per thread, reused across calls and
/// freed when the thread exits.

/// An instruction-set path of the GEMM. `FATHOM_ISA=avx512|avx2|generic` forces one.
typedef enum fathom_isa {
    FATHOM_ISA_GENERIC = 0,  ///< portable C with vector extensions (any CPU; the seam for NEON)
    FATHOM_ISA_AVX2 = 1,     ///< AVX2 + FMA, 6x16 micro-tile
    FATHOM_ISA_AVX512 = 2,   ///< AVX-512F, 8x32 micro-tile
    FATHOM_ISA_COUNT = 3
} fathom_isa;

/// Whether this CPU (and its operating system, which must save the vector registers) can run `isa`.
int fathom_isa_is_supported(fathom_isa isa);
/// The path `fathom_sgemm` uses: `FATHOM_ISA` if set and supported, else the widest supported.
fathom_isa fathom_isa_active(void);
/// "avx512", "avx2" or "generic".
const char *fathom_isa_name(fathom_isa isa);
/// Non-zero when `FATHOM_ISA` names a path this CPU cannot run, or no path at all (the active
/// path then falls back to the widest supported one); `fathom_isa_active` explains nothing, so
/// callers report this.
int fathom_isa_request_was_rejected(void);

/// Register tile of `isa`'s micro-kernel: `mr` rows of C by `nr` columns.
void fathom_gemm_tile(fathom_isa isa, long *mr, long *nr);
/// Cache blocks used with `isa` (depth kc, rows mc, columns nc), from the cache sizes.
void fathom_gemm_blocking(fathom_isa isa, long *kc, long *mc, long *nc);

/// Row-major `C = alpha * op(A) * op(B) + beta * C`, op(A) m x k, op(B) k x n, on the active path.
/// `beta == 0` never reads C (NaN or garbage there is overwritten, as BLAS does).
void fathom_sgemm(int transpose_a, int transpose_b, long m, long n, long k,
                  float alpha, const float *a, long lda, const float *b, long ldb,
                  float beta, float *c, long ldc);

/// `fathom_sgemm` on a given path, which must be supported (tests and benchmarks).
void fathom_sgemm_isa(fathom_isa isa, int transpose_a, int transpose_b, long m, long n, long k,
                      float alpha, const float *a, long lda, const float *b, long ldb,
                      float beta, float *c, long ldc);

#endif
