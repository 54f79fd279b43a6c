// AVX-512F micro-kernel: an 8 x 32 tile of C in 16 ZMM accumulators. Each depth step loads
// one 32-wide row of the B micro-panel (two vectors) and broadcasts eight A values, 16 FMAs
// against 10 loads; with two FMA units that is 8 cycles a step, the loads fit in 5.
// Compiled for AVX-512F through the function attribute only; the driver calls it when CPUID
// says the CPU and the OS support it.
#if defined(__x86_64__)
#include "gemm_kernels.h"

#include <immintrin.h>

#define MR 8
#define NR 32

#define FATHOM_PACK_PREFIX avx512_
#pragma clang attribute push(__attribute__((target("avx512f,avx2,fma"))), apply_to = function)
#include "gemm_pack.h"
#pragma clang attribute pop

#define AVX512 __attribute__((target("avx512f,avx2,fma")))

AVX512 static void kernel_8x32(long k, const float *a, const float *b, float *c, long ldc, float alpha, float beta) {
    __m512 acc[MR][2];
    for (int i = 0; i < MR; i++) {
        acc[i][0] = _mm512_setzero_ps();
        acc[i][1] = _mm512_setzero_ps();
        _mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + i * ldc + 16), _MM_HINT_T0);
    }
#pragma clang loop unroll_count(4)
    for (long p = 0; p < k; p++) {
        _mm_prefetch((const char *)(a + 256), _MM_HINT_T0);  // the A micro-panel streams in from L2
        const __m512 b0 = _mm512_load_ps(b), b1 = _mm512_load_ps(b + 16);
        for (int i = 0; i < MR; i++) {
            const __m512 ai = _mm512_set1_ps(a[i]);
            acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
        }
        a += MR;
        b += NR;
    }
    const __m512 va = _mm512_set1_ps(alpha);
    if (beta == 0) {
        for (int i = 0; i < MR; i++) {
            _mm512_storeu_ps(c + i * ldc, _mm512_mul_ps(va, acc[i][0]));
            _mm512_storeu_ps(c + i * ldc + 16, _mm512_mul_ps(va, acc[i][1]));
        }
    } else {
        const __m512 vb = _mm512_set1_ps(beta);
        for (int i = 0; i < MR; i++) {
            float *row = c + i * ldc;
            _mm512_storeu_ps(row, _mm512_fmadd_ps(va, acc[i][0], _mm512_mul_ps(vb, _mm512_loadu_ps(row))));
            _mm512_storeu_ps(row + 16, _mm512_fmadd_ps(va, acc[i][1], _mm512_mul_ps(vb, _mm512_loadu_ps(row + 16))));
        }
    }
}

const fathom_kernel_set fathom_kernels_avx512 = {kernel_8x32, MR, NR, 1, avx512_pack_a, avx512_pack_b};
#endif
