#ifndef FATHOM_GEMM_PACK_H
#define FATHOM_GEMM_PACK_H
// Packing of A and B into micro-panels (see gemm_driver.c), written once and compiled into each
// kernel file under that file's target attribute, so that the copies and 8x8 transposes use
// the same vector width as its micro-kernel (BLIS's per-architecture packm). The kernel file
// defines FATHOM_PACK_PREFIX and its tile MR x NR before including this header: with the tile
// a constant, every copy below has a constant size and compiles to vector moves (with the
// width a variable they were calls to memcpy, and the packing 4 % slower than scalar loops).
//
// Why it matters: with few rows of C (a convolution's 64 output channels) every packed B value
// is used by only m/… FMAs, so a scalar strided copy cost as much as the product itself
// (13 % of a ResNet-18 training step in fathom_sgemm_isa against 28 % in the kernel).
// Transposing copies go 8x8 through registers; straight copies are whole-row moves.

#include <string.h>

typedef float pack_v8 __attribute__((vector_size(32)));

#define PACK_CONCAT2(a, b) a##b
#define PACK_CONCAT(a, b) PACK_CONCAT2(a, b)
#define PACK_NAME(name) PACK_CONCAT(FATHOM_PACK_PREFIX, name)


/// Rows become columns: r[i][q] -> r[q][i] for an 8x8 block held in eight vectors.
static inline void PACK_NAME(transpose8)(pack_v8 r[8]) {
    pack_v8 t[8], s[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = __builtin_shufflevector(r[i], r[i + 1], 0, 8, 1, 9, 4, 12, 5, 13);
        t[i + 1] = __builtin_shufflevector(r[i], r[i + 1], 2, 10, 3, 11, 6, 14, 7, 15);
    }
    for (int i = 0; i < 8; i += 4) {
        s[i] = __builtin_shufflevector(t[i], t[i + 2], 0, 1, 8, 9, 4, 5, 12, 13);
        s[i + 1] = __builtin_shufflevector(t[i], t[i + 2], 2, 3, 10, 11, 6, 7, 14, 15);
        s[i + 2] = __builtin_shufflevector(t[i + 1], t[i + 3], 0, 1, 8, 9, 4, 5, 12, 13);
        s[i + 3] = __builtin_shufflevector(t[i + 1], t[i + 3], 2, 3, 10, 11, 6, 7, 14, 15);
    }
    for (int i = 0; i < 4; i++) {
        r[i] = __builtin_shufflevector(s[i], s[i + 4], 0, 1, 2, 3, 8, 9, 10, 11);
        r[i + 4] = __builtin_shufflevector(s[i], s[i + 4], 4, 5, 6, 7, 12, 13, 14, 15);
    }
}

/// `lines` source lines of `length` floats, `stride` apart (lines past `live` read as zero),
/// written transposed: dst[q * dst_stride + i] = line_i[q] for i < lines (lines <= 8 per call).
__attribute__((always_inline)) static inline void PACK_NAME(transpose_lines)(const float *src, long stride, long live, long lines, long length,
                                               float *dst, long dst_stride) {
    long q0 = 0;
    for (; q0 + 8 <= length; q0 += 8) {
        pack_v8 r[8];
        for (long i = 0; i < 8; i++) {
            if (i < live) memcpy(&r[i], src + i * stride + q0, sizeof(pack_v8));
            else r[i] = (pack_v8){0};
        }
        PACK_NAME(transpose8)(r);
        for (long q = 0; q < 8; q++) memcpy(dst + (q0 + q) * dst_stride, &r[q], (size_t)lines * sizeof(float));
    }
    for (; q0 < length; q0++)
        for (long i = 0; i < lines; i++) dst[q0 * dst_stride + i] = i < live ? src[i * stride + q0] : 0;
}

/// `length` steps of `live` contiguous floats, `stride` apart, into rows of `width` (zero-padded).
__attribute__((always_inline)) static inline void PACK_NAME(copy_rows)(const float *src, long stride, long live, long width, long length, float *dst) {
    if (live == width) {
        for (long p = 0; p < length; p++) memcpy(dst + p * width, src + p * stride, (size_t)width * sizeof(float));
        return;
    }
    for (long p = 0; p < length; p++) {
        long j = 0;
        for (; j < live; j++) dst[p * width + j] = src[p * stride + j];
        for (; j < width; j++) dst[p * width + j] = 0;
    }
}

/// Panels `width` wide (the tile's rows of A, or its columns of B) of `count` lines starting at
/// line `first`, over depth [depth, depth + kb): panel q at packed + q * width * kb holds, for
/// each step p, the `width` values of lines first + q * width + i at depth + p, zero past
/// `count`. `along_lines` says how the source stores them: true when a step's values across the
/// lines are contiguous (src[(depth + p) * ld + line]), false when each line is a contiguous
/// run over depth (src[line * ld + depth + p]), which is transposed 8 lines at a time.
/// A is op(A)'s rows (contiguous across them when A is transposed); B is op(B)'s columns
/// (contiguous across them when B is not).
__attribute__((always_inline)) static inline void PACK_NAME(pack_panels)(const float *src, int along_lines, long ld,
                                                                          long first, long depth, long count, long kb,
                                                                          long width, float *packed) {
    for (long q0 = 0; q0 < count; q0 += width) {
        float *dst = packed + q0 * kb;
        const long live = count - q0 < width ? count - q0 : width;
        if (along_lines) {
            PACK_NAME(copy_rows)(src + depth * ld + first + q0, ld, live, width, kb, dst);
            continue;
        }
        for (long i0 = 0; i0 < width; i0 += 8) {
            const long lines = width - i0 < 8 ? width - i0 : 8, have = live - i0;
            PACK_NAME(transpose_lines)(src + (first + q0 + i0) * ld + depth, ld, have < 0 ? 0 : have, lines, kb,
                                       dst + i0, width);
        }
    }
}

/// fathom_pack_a_fn (gemm_kernels.h): op(A)'s rows into MR-tall panels.
static void PACK_NAME(pack_a)(const float *a, int transpose, long lda, long row, long depth, long rows, long kb,
                              float *packed) {
    PACK_NAME(pack_panels)(a, transpose, lda, row, depth, rows, kb, MR, packed);
}

/// fathom_pack_b_fn (gemm_kernels.h): op(B)'s columns into NR-wide panels.
static void PACK_NAME(pack_b)(const float *b, int transpose, long ldb, long depth, long column, long kb, long columns,
                              float *packed) {
    PACK_NAME(pack_panels)(b, !transpose, ldb, column, depth, columns, kb, NR, packed);
}

#endif
