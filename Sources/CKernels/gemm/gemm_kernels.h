#ifndef FATHOM_GEMM_KERNELS_H
#define FATHOM_GEMM_KERNELS_H
// The micro-kernel contract shared by the driver (gemm_driver.c) and the per-ISA kernels.

/// C[0..mr)[0..nr) = alpha * sum_p a[p*mr + i] * b[p*nr + j] + beta * C, for one full register
/// tile; `a` and `b` are packed micro-panels (k steps of mr and nr floats, 64-byte aligned),
/// `c` is row-major with row stride `ldc`. `beta == 0` must not read C.
typedef void (*fathom_micro_kernel)(long k, const float *a, const float *b, float *c, long ldc,
                                    float alpha, float beta);

/// Packs rows [row, row + rows) by depth [depth, depth + kb) of op(A) into mr-tall micro-panels
/// (panel r at packed + r*mr*kb holds, for each p, the mr values A(row + r*mr + i, depth + p),
/// zero past `rows`).
typedef void (*fathom_pack_a_fn)(const float *a, int transpose, long lda, long row, long depth, long rows, long kb,
                                 float *packed);
/// Packs depth [depth, depth + kb) by columns [column, column + columns) of op(B) into nr-wide
/// micro-panels (panel s at packed + s*nr*kb holds, for each p, nr values of row depth + p).
typedef void (*fathom_pack_b_fn)(const float *b, int transpose, long ldb, long depth, long column, long kb,
                                 long columns, float *packed);

/// One instruction set's micro-kernel, its register tile and its packing routines (gemm_pack.h).
/// `a_copies` is how many times pack_a writes each value of A (1, or the vector width for a
/// kernel that loads its broadcasts ready-made, which the packed offsets and blocks scale by).
typedef struct fathom_kernel_set {
    fathom_micro_kernel kernel;
    long mr, nr, a_copies;
    fathom_pack_a_fn pack_a;
    fathom_pack_b_fn pack_b;
} fathom_kernel_set;

extern const fathom_kernel_set fathom_kernels_generic;
#if defined(__x86_64__)
extern const fathom_kernel_set fathom_kernels_avx2;
extern const fathom_kernel_set fathom_kernels_avx512;
#endif

#endif
