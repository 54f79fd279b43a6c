// Portable micro-kernel: a 6 x 8 tile of C in twelve 4-wide accumulators, written with the
// compiler's vector extensions so that it compiles to SSE2 on any x86-64 and to NEON on ARM.
// Without FMA every step is a multiply and an add per accumulator; a broadcast of A would add
// a shuffle on the same ports, so packing writes each A value four times and the kernel loads
// its broadcasts ready-made, as GotoBLAS's SSE kernels did: 26 -> 32 GFLOP/s on one core at
// 1024^3 (Intel Xeon family 6 model 207; OpenBLAS's Prescott kernel: 33).
// It is the fallback for CPUs without AVX2 and the reference shape for a future NEON kernel
// (which would add a kernel_neon.c and an entry in the driver's table).
#include "gemm_kernels.h"

#include <string.h>

#define MR 6
#define NR 8

#define FATHOM_PACK_PREFIX generic_
#include "gemm_pack.h"

typedef float v4 __attribute__((vector_size(16)));

enum { A_COPIES = 4 };

/// The shared packing, then each value written A_COPIES times in place (from the end backwards,
/// so nothing is overwritten before it is read): panel r starts at r * MR * kb * A_COPIES.
static void pack_a_broadcast(const float *a, int transpose, long lda, long row, long depth, long rows, long kb,
                             float *packed) {
    generic_pack_a(a, transpose, lda, row, depth, rows, kb, packed);
    const long count = (rows + MR - 1) / MR * MR * kb;
    for (long index = count - 1; index >= 0; index--) {
        const float value = packed[index];
        for (long copy = A_COPIES - 1; copy >= 0; copy--) packed[index * A_COPIES + copy] = value;
    }
}

static v4 load4(const float *p) { v4 v; memcpy(&v, p, sizeof v); return v; }
static void store4(float *p, v4 v) { memcpy(p, &v, sizeof v); }

static void kernel_6x8(long k, const float *a, const float *b, float *c, long ldc, float alpha, float beta) {
    v4 acc[MR][2];
    for (int i = 0; i < MR; i++) acc[i][0] = acc[i][1] = (v4){0, 0, 0, 0};
    for (long p = 0; p < k; p++) {
        const v4 b0 = load4(b), b1 = load4(b + 4);
        for (int i = 0; i < MR; i++) {
            const v4 ai = load4(a + i * A_COPIES);
            acc[i][0] += ai * b0;
            acc[i][1] += ai * b1;
        }
        a += MR * A_COPIES;
        b += NR;
    }
    for (int i = 0; i < MR; i++) {
        float *row = c + i * ldc;
        if (beta == 0) {
            store4(row, alpha * acc[i][0]);
            store4(row + 4, alpha * acc[i][1]);
        } else {
            store4(row, alpha * acc[i][0] + beta * load4(row));
            store4(row + 4, alpha * acc[i][1] + beta * load4(row + 4));
        }
    }
}

const fathom_kernel_set fathom_kernels_generic = {kernel_6x8, MR, NR, A_COPIES, pack_a_broadcast, generic_pack_b};
