// Prototype: a bfloat16 GEMM micro-kernel on AVX512-BF16 (VDPBF16PS), measured against
// Fathom's float32 AVX-512 path on the same packing scheme. Not part of the library: it
// answers "what would a bf16 path give" for the README (see run.sh beside this file).
//
// C (float32) += A (bf16) * B (bf16): A and B are rounded to bfloat16 (nearest even) while
// they are packed; each VDPBF16PS multiplies 16 lanes of *pairs* of bf16 values and adds both
// products into a float32 lane, so an 8 x 32 tile takes half the instructions of the float32
// kernel per depth step. Accumulation stays float32.
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fathom_gemm.h"

#define MR 8
#define NR 32
#define KC 384
#define BF16 __attribute__((target("avx512f,avx512bf16,avx512vl")))

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

/// float32 -> bfloat16, round to nearest even (as VCVTNE2PS2BF16 does; no NaNs here).
static uint16_t to_bf16(float x) {
    uint32_t u; memcpy(&u, &x, 4);
    u += 0x7FFF + ((u >> 16) & 1);
    return (uint16_t)(u >> 16);
}

/// A panel (MR rows x kb, kb even): for each depth pair, MR 32-bit words (a[i][p], a[i][p+1]).
static void pack_a(const float *a, long lda, long rows, long kb, uint16_t *dst) {
    for (long p = 0; p < kb; p += 2)
        for (long i = 0; i < MR; i++) {
            dst[(p / 2) * MR * 2 + 2 * i] = i < rows ? to_bf16(a[i * lda + p]) : 0;
            dst[(p / 2) * MR * 2 + 2 * i + 1] = i < rows && p + 1 < kb ? to_bf16(a[i * lda + p + 1]) : 0;
        }
}

/// B panel (kb x NR): for each depth pair, NR words (b[p][j], b[p+1][j]).
static void pack_b(const float *b, long ldb, long kb, uint16_t *dst) {
    for (long p = 0; p < kb; p += 2)
        for (long j = 0; j < NR; j++) {
            dst[(p / 2) * NR * 2 + 2 * j] = to_bf16(b[p * ldb + j]);
            dst[(p / 2) * NR * 2 + 2 * j + 1] = p + 1 < kb ? to_bf16(b[(p + 1) * ldb + j]) : 0;
        }
}

BF16 static void kernel_bf16(long kb, const uint16_t *a, const uint16_t *b, float *c, long ldc) {
    __m512 acc[MR][2];
    for (int i = 0; i < MR; i++) {
        acc[i][0] = _mm512_loadu_ps(c + i * ldc);
        acc[i][1] = _mm512_loadu_ps(c + i * ldc + 16);
    }
    for (long p = 0; p < kb; p += 2) {
        _mm_prefetch((const char *)(a + 512), _MM_HINT_T0);
        const __m512bh b0 = (__m512bh)_mm512_load_si512(b), b1 = (__m512bh)_mm512_load_si512(b + 32);
        for (int i = 0; i < MR; i++) {
            int32_t pair; memcpy(&pair, a + 2 * i, 4);
            const __m512bh ai = (__m512bh)_mm512_set1_epi32(pair);
            acc[i][0] = _mm512_dpbf16_ps(acc[i][0], ai, b0);
            acc[i][1] = _mm512_dpbf16_ps(acc[i][1], ai, b1);
        }
        a += 2 * MR;
        b += 2 * NR;
    }
    for (int i = 0; i < MR; i++) {
        _mm512_storeu_ps(c + i * ldc, acc[i][0]);
        _mm512_storeu_ps(c + i * ldc + 16, acc[i][1]);
    }
}

/// C = A * B for n x n matrices, n a multiple of MR, NR and KC (one thread; GotoBLAS loops).
static void gemm_bf16(long n, const float *a, const float *b, float *c, uint16_t *pa, uint16_t *pb) {
    memset(c, 0, (size_t)(n * n) * sizeof(float));
    for (long pc = 0; pc < n; pc += KC) {
        for (long jr = 0; jr < n; jr += NR) pack_b(b + pc * n + jr, n, KC, pb + jr * KC);
        for (long ir = 0; ir < n; ir += MR) {
            pack_a(a + ir * n + pc, n, MR, KC, pa);
            for (long jr = 0; jr < n; jr += NR) kernel_bf16(KC, pa, pb + jr * KC, c + ir * n + jr, n);
        }
    }
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1536;
    unsigned eax, ebx, ecx, edx;
    __asm__("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(7), "c"(1));
    if (!((eax >> 5) & 1)) { printf("bf16: not run on this CPU (no AVX512_BF16)\n"); return 0; }
    float *a = aligned_alloc(64, n * n * 4), *b = aligned_alloc(64, n * n * 4), *c = aligned_alloc(64, n * n * 4),
          *c32 = aligned_alloc(64, n * n * 4);
    uint16_t *pa = aligned_alloc(64, MR * KC * 2), *pb = aligned_alloc(64, n * KC * 2);
    srand(1);
    for (long i = 0; i < n * n; i++) { a[i] = rand() / (float)RAND_MAX - 0.5f; b[i] = rand() / (float)RAND_MAX - 0.5f; }
    double t16 = 1e9, t32 = 1e9;
    for (int r = 0; r < 5; r++) {
        double t = now(); gemm_bf16(n, a, b, c, pa, pb); t = now() - t; if (t < t16) t16 = t;
        t = now(); fathom_sgemm_isa(FATHOM_ISA_AVX512, 0, 0, n, n, n, 1, a, n, b, n, 0, c32, n); t = now() - t; if (t < t32) t32 = t;
    }
    // The micro-kernel alone, on one packed A panel and L1-resident B panel, against the same
    // count of float32 FMAs: what the instruction itself gives, with packing out of the picture.
    {
        const long calls = 200000;
        float tile[MR * NR] __attribute__((aligned(64))) = {0};
        pack_a(a, n, MR, KC, pa);
        pack_b(b, n, KC, pb);
        double t = now();
        for (long r = 0; r < calls; r++) kernel_bf16(KC, pa, pb, tile, NR);
        t = now() - t;
        printf("micro-kernel alone: bf16 %.1f GFLOP/s (tile sum %g)\n", 2.0 * MR * NR * KC * calls / t * 1e-9, tile[0]);
    }
    // Error against a Double reference on a sample of entries, relative to the row's scale.
    double worst16 = 0, worst32 = 0;
    for (long s = 0; s < 200; s++) {
        long i = (s * 7919) % n, j = (s * 104729) % n;
        double ref = 0, scale = 0;
        for (long p = 0; p < n; p++) { ref += (double)a[i * n + p] * b[p * n + j]; scale += fabs((double)a[i * n + p] * b[p * n + j]); }
        worst16 = fmax(worst16, fabs(c[i * n + j] - ref) / scale);
        worst32 = fmax(worst32, fabs(c32[i * n + j] - ref) / scale);
    }
    printf("n=%ld one core: bf16 %.1f GFLOP/s, float32 (Fathom avx512) %.1f GFLOP/s, ratio %.2f; "
           "worst error / sum|a*b|: bf16 %.1e, float32 %.1e\n",
           n, 2.0 * n * n * n / t16 * 1e-9, 2.0 * n * n * n / t32 * 1e-9, t32 / t16, worst16, worst32);
    return 0;
}
