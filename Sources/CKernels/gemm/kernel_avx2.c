// AVX2 + FMA micro-kernel: a 6 x 16 tile of C in 12 YMM accumulators (BLIS's Haswell shape).
// Each depth step loads one 16-wide row of the B micro-panel (two vectors) and broadcasts six
// A values: 12 FMAs against 8 loads, leaving 3 of the 16 registers for the operands.
// Compiled for AVX2/FMA through the function attribute only; dispatched on CPUID.
#if defined(__x86_64__)
#include "gemm_kernels.h"

#include <immintrin.h>

#define MR 6
#define NR 16

#define FATHOM_PACK_PREFIX avx2_
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#include "gemm_pack.h"
#pragma clang attribute pop

#define AVX2 __attribute__((target("avx2,fma")))

AVX2 static void kernel_6x16(long k, const float *a, const float *b, float *c, long ldc, float alpha, float beta) {
    __m256 acc[MR][2];
    for (int i = 0; i < MR; i++) {
        acc[i][0] = _mm256_setzero_ps();
        acc[i][1] = _mm256_setzero_ps();
        _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
    }
#pragma clang loop unroll_count(4)
    for (long p = 0; p < k; p++) {
        _mm_prefetch((const char *)(a + 192), _MM_HINT_T0);  // the A micro-panel streams in from L2
        const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
        for (int i = 0; i < MR; i++) {
            const __m256 ai = _mm256_broadcast_ss(a + i);
            acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
        }
        a += MR;
        b += NR;
    }
    const __m256 va = _mm256_set1_ps(alpha);
    if (beta == 0) {
        for (int i = 0; i < MR; i++) {
            _mm256_storeu_ps(c + i * ldc, _mm256_mul_ps(va, acc[i][0]));
            _mm256_storeu_ps(c + i * ldc + 8, _mm256_mul_ps(va, acc[i][1]));
        }
    } else {
        const __m256 vb = _mm256_set1_ps(beta);
        for (int i = 0; i < MR; i++) {
            float *row = c + i * ldc;
            _mm256_storeu_ps(row, _mm256_fmadd_ps(va, acc[i][0], _mm256_mul_ps(vb, _mm256_loadu_ps(row))));
            _mm256_storeu_ps(row + 8, _mm256_fmadd_ps(va, acc[i][1], _mm256_mul_ps(vb, _mm256_loadu_ps(row + 8))));
        }
    }
}

const fathom_kernel_set fathom_kernels_avx2 = {kernel_6x16, MR, NR, 1, avx2_pack_a, avx2_pack_b};
#endif
