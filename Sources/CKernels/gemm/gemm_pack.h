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

/// See fathom_pack_fn in gemm_kernels.h: rows [row, row + rows) by depth [depth, depth + kb)
/// of op(A) into mr-tall panels.
static void PACK_NAME(pack_a)(const float *a, int transpose, long lda, long row, long depth, long rows, long kb,
                              long mr_, float *packed) {
    (void)mr_;
    enum { mr = MR };
    for (long r0 = 0; r0 < rows; r0 += mr) {
        float *dst = packed + r0 * kb;
        const long live = rows - r0 < mr ? rows - r0 : mr;
        if (transpose) {  // A(i, p) = a[p * lda + i]: each step's values are contiguous
            PACK_NAME(copy_rows)(a + depth * lda + row + r0, lda, live, mr, kb, dst);
        } else {  // A(i, p) = a[i * lda + p]: transpose rows into the panel, 8 rows at a time
            for (long i0 = 0; i0 < mr; i0 += 8) {
                const long lines = mr - i0 < 8 ? mr - i0 : 8, have = live - i0;
                PACK_NAME(transpose_lines)(a + (row + r0 + i0) * lda + depth, lda, have < 0 ? 0 : have, lines, kb,
                                           dst + i0, mr);
            }
        }
    }
}

/// Depth [depth, depth + kb) by columns [column, column + columns) of op(B) into nr-wide panels.
static void PACK_NAME(pack_b)(const float *b, int transpose, long ldb, long depth, long column, long kb, long columns,
                              long nr_, float *packed) {
    (void)nr_;
    enum { nr = NR };
    for (long s0 = 0; s0 < columns; s0 += nr) {
        float *dst = packed + s0 * kb;
        const long live = columns - s0 < nr ? columns - s0 : nr;
        if (transpose) {  // B(p, j) = b[j * ldb + p]: transpose, 8 columns at a time
            for (long j0 = 0; j0 < nr; j0 += 8) {
                const long lines = nr - j0 < 8 ? nr - j0 : 8, have = live - j0;
                PACK_NAME(transpose_lines)(b + (column + s0 + j0) * ldb + depth, ldb, have < 0 ? 0 : have, lines, kb,
                                           dst + j0, nr);
            }
        } else {  // B(p, j) = b[p * ldb + j]: whole rows
            PACK_NAME(copy_rows)(b + depth * ldb + column + s0, ldb, live, nr, kb, dst);
        }
    }
}

#endif
