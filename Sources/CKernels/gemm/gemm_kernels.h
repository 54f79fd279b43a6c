#ifndef FATHOM_GEMM_KERNELS_H
#define FATHOM_GEMM_KERNELS_H
// The micro-kernel contract shared by the driver (gemm_driver.c) and the per-ISA kernels.

/// C[0..mr)[0..nr) = alpha * sum_p a[p*mr + i] * b[p*nr + j] + beta * C, for one full register
/// tile; `a` and `b` are packed micro-panels (k steps of mr and nr floats, 64-byte aligned),
/// `c` is row-major with row stride `ldc`. `beta == 0` must not read C.
typedef void (*fathom_micro_kernel)(long k, const float *a, const float *b, float *c, long ldc,
                                    float alpha, float beta);

/// One instruction set's micro-kernel and its register tile.
typedef struct fathom_kernel_set {
    fathom_micro_kernel kernel;
    long mr, nr;
} fathom_kernel_set;

extern const fathom_kernel_set fathom_kernels_generic;
#if defined(__x86_64__)
extern const fathom_kernel_set fathom_kernels_avx2;
extern const fathom_kernel_set fathom_kernels_avx512;
#endif

#endif
