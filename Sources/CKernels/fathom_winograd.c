// Winograd F(2x2, 3x3) plane transforms: eight tiles per vector (GCC/Clang vector extensions).
// The math is documented in Sources/Layers/Functional/WinogradTiling.swift; here it is only
// spelled out for eight lanes. Vectors never pass through a function call (macros only).
//
// One build, for the baseline target: an AVX2 build of the same source, dispatched on the CPU,
// ran no faster (ResNet-18 128 training 61.4 against 61.3 img/s, 2026-11-27) — these loops
// are bound by memory traffic, not arithmetic. What made the C version faster than the
// four-lane Swift SIMD code it replaced (ResNet-18 128 training 1.10x, CompactCNN 128 1.14x)
// is eight independent lanes per step and clang's register allocation for them.
#include "fathom_winograd.h"

#include <string.h>

typedef float v8 __attribute__((vector_size(32)));

#define LANES 8
/// Declares `var` holding the eight floats at `p`.
#define LOAD(var, p) v8 var; memcpy(&var, (p), sizeof(v8))
/// Declares `var` holding the first `lanes` floats at `p`, zero beyond (no read past them).
#define LOAD_LANES(var, p, lanes) v8 var = {0}; \
    if ((lanes) == LANES) { memcpy(&var, (p), sizeof(v8)); } else { for (long l_ = 0; l_ < (lanes); l_++) var[l_] = (p)[l_]; }
/// Writes the first `lanes` lanes of `v` to `p`.
#define STORE(p, v, lanes) do { v8 s_ = (v); \
    if ((lanes) == LANES) { memcpy((p), &s_, sizeof(v8)); } else { for (long l_ = 0; l_ < (lanes); l_++) (p)[l_] = s_[l_]; } } while (0)
/// Adds `v` to the eight floats at `p`.
#define ACCUMULATE(p, v) do { v8 a_; memcpy(&a_, (p), sizeof(v8)); a_ += (v); memcpy((p), &a_, sizeof(v8)); } while (0)
#define EVEN(a, b) __builtin_shufflevector((a), (b), 0, 2, 4, 6, 8, 10, 12, 14)
#define ODD(a, b) __builtin_shufflevector((a), (b), 1, 3, 5, 7, 9, 11, 13, 15)
#define INTERLEAVE_LOW(a, b) __builtin_shufflevector((a), (b), 0, 8, 1, 9, 2, 10, 3, 11)
#define INTERLEAVE_HIGH(a, b) __builtin_shufflevector((a), (b), 4, 12, 5, 13, 6, 14, 7, 15)
/// Declares `c0 … c3`: positions 2l, 2l + 1, 2l + 2, 2l + 3 of the row at `p`, for lanes l = 0…7.
#define COLUMNS(p, c0, c1, c2, c3) \
    LOAD(c0##_low, (p)); LOAD(c0##_high, (p) + 8); LOAD(c2##_low, (p) + 2); LOAD(c2##_high, (p) + 10); \
    v8 c0 = EVEN(c0##_low, c0##_high), c1 = ODD(c0##_low, c0##_high); \
    v8 c2 = EVEN(c2##_low, c2##_high), c3 = ODD(c2##_low, c2##_high)

static long min_long(long a, long b) { return a < b ? a : b; }

/// Input row `y` of `plane` into `row` (`row_capacity` long) so that `row[p]` is input column
/// `p - pad_left`, zeros outside the image.
static void load_row(const fathom_winograd_tiling *t, const float *plane, long y, float *row) {
    long low = t->pad_left, high = min_long(2 * t->tile_columns + 2, t->width + t->pad_left);
    if (y < 0 || y >= t->height || low >= high) {
        memset(row, 0, (size_t)t->row_capacity * sizeof(float));
        return;
    }
    memset(row, 0, (size_t)low * sizeof(float));
    memcpy(row + low, plane + y * t->width + (low - t->pad_left), (size_t)(high - low) * sizeof(float));
    memset(row + high, 0, (size_t)(t->row_capacity - high) * sizeof(float));
}

void fathom_winograd_input(const fathom_winograd_tiling *t, const float *plane, float *v, long es, float *rows) {
    const long cap = t->row_capacity, tc = t->tile_columns;
    // Consecutive tile rows share two input rows: the buffers rotate instead of reloading.
    float *r0 = rows, *r1 = rows + cap, *r2 = rows + 2 * cap, *r3 = rows + 3 * cap;
    for (long ty = 0; ty < t->tile_rows; ty++) {
        const long top = 2 * ty - t->pad_top;
        if (ty == 0) {
            load_row(t, plane, top, r0);
            load_row(t, plane, top + 1, r1);
        } else {
            float *swap = r0; r0 = r2; r2 = swap;
            swap = r1; r1 = r3; r3 = swap;
        }
        load_row(t, plane, top + 2, r2);
        load_row(t, plane, top + 3, r3);
        for (long tx = 0; tx < tc; tx += LANES) {
            const long lanes = min_long(LANES, tc - tx);
            float *out = v + ty * tc + tx;
            COLUMNS(r0 + 2 * tx, d00, d01, d02, d03);
            COLUMNS(r1 + 2 * tx, d10, d11, d12, d13);
            COLUMNS(r2 + 2 * tx, d20, d21, d22, d23);
            COLUMNS(r3 + 2 * tx, d30, d31, d32, d33);
            // Row i of Bt d (columns a, b, c, d), then Bt along it: row i of V.
#define EMIT(i, a, b, c, d) do { v8 a_ = (a), b_ = (b), c_ = (c), d_ = (d); \
                STORE(out + (4 * (i)) * es, a_ - c_, lanes); STORE(out + (4 * (i) + 1) * es, b_ + c_, lanes); \
                STORE(out + (4 * (i) + 2) * es, c_ - b_, lanes); STORE(out + (4 * (i) + 3) * es, b_ - d_, lanes); } while (0)
            EMIT(0, d00 - d20, d01 - d21, d02 - d22, d03 - d23);
            EMIT(1, d10 + d20, d11 + d21, d12 + d22, d13 + d23);
            EMIT(2, d20 - d10, d21 - d11, d22 - d12, d23 - d13);
            EMIT(3, d10 - d30, d11 - d31, d12 - d32, d13 - d33);
#undef EMIT
        }
    }
}

void fathom_winograd_input_adjoint(const fathom_winograd_tiling *t, const float *dv, long es, float *plane,
                                   float *rows) {
    const long cap = t->row_capacity, tc = t->tile_columns;
    float *interleaved = rows + 8 * cap;
    const long high = min_long(t->width, 2 * tc + 2 - t->pad_left);
    for (long ty = 0; ty < t->tile_rows; ty++) {
        // Even and odd positions of the four rows this tile row's windows cover.
        memset(rows, 0, (size_t)(8 * cap) * sizeof(float));
        for (long tx = 0; tx < tc; tx += LANES) {
            const long lanes = min_long(LANES, tc - tx);
            const float *tiles = dv + ty * tc + tx;
            // B along each row i of dV: e_i (four columns) …
#define ROW(i, c0, c1, c2, c3) \
            LOAD_LANES(c0##_v, tiles + (4 * (i)) * es, lanes); LOAD_LANES(c1##_v, tiles + (4 * (i) + 1) * es, lanes); \
            LOAD_LANES(c2##_v, tiles + (4 * (i) + 2) * es, lanes); LOAD_LANES(c3##_v, tiles + (4 * (i) + 3) * es, lanes); \
            v8 c0 = c0##_v, c1 = c1##_v - c2##_v + c3##_v, c2 = c1##_v + c2##_v - c0##_v, c3 = -c3##_v
            ROW(0, e00, e01, e02, e03);
            ROW(1, e10, e11, e12, e13);
            ROW(2, e20, e21, e22, e23);
            ROW(3, e30, e31, e32, e33);
#undef ROW
            // … then B down the columns: row r of the window's gradient. Columns 0 and 2 land on
            // even positions tx and tx + 1, columns 1 and 3 on odd positions tx and tx + 1.
#define ADD(r, c0, c1, c2, c3) do { float *even_ = rows + 2 * (r) * cap + tx, *odd_ = even_ + cap; \
                ACCUMULATE(even_, c0); ACCUMULATE(even_ + 1, c2); ACCUMULATE(odd_, c1); ACCUMULATE(odd_ + 1, c3); } while (0)
            ADD(0, e00, e01, e02, e03);
            ADD(1, e10 - e20 + e30, e11 - e21 + e31, e12 - e22 + e32, e13 - e23 + e33);
            ADD(2, e10 + e20 - e00, e11 + e21 - e01, e12 + e22 - e02, e13 + e23 - e03);
            ADD(3, -e30, -e31, -e32, -e33);
#undef ADD
        }
        // Re-interleave each row and add the part inside the image.
        for (long r = 0; r < 4; r++) {
            const long y = 2 * ty - t->pad_top + r;
            if (y < 0 || y >= t->height || high <= 0) continue;
            const float *even = rows + 2 * r * cap, *odd = even + cap;
            for (long k = 0; k <= tc; k += LANES) {
                LOAD(e, even + k);
                LOAD(o, odd + k);
                v8 low = INTERLEAVE_LOW(e, o), high_half = INTERLEAVE_HIGH(e, o);
                memcpy(interleaved + 2 * k, &low, sizeof(v8));
                memcpy(interleaved + 2 * k + LANES, &high_half, sizeof(v8));
            }
            const float *source = interleaved + t->pad_left;
            float *target = plane + y * t->width;
            for (long x = 0; x < high; x++) target[x] += source[x];
        }
    }
}

void fathom_winograd_output(const fathom_winograd_tiling *t, const float *m, long es, float bias, float *plane) {
    const long out_w = t->out_width, out_h = t->out_height, tc = t->tile_columns;
    const v8 b = {bias, bias, bias, bias, bias, bias, bias, bias};
    for (long ty = 0; ty < t->tile_rows; ty++) {
        float *y0 = plane + 2 * ty * out_w;
        const int second_row = 2 * ty + 1 < out_h;
        for (long tx = 0; tx < tc; tx += LANES) {
            const long lanes = min_long(LANES, tc - tx);
            const float *tiles = m + ty * tc + tx;
            // At along each row i of M: its two results s_i0, s_i1 …
#define ROW(i, s0, s1) \
            LOAD(s0##_a, tiles + (4 * (i)) * es); LOAD(s0##_b, tiles + (4 * (i) + 1) * es); \
            LOAD(s0##_c, tiles + (4 * (i) + 2) * es); LOAD(s0##_d, tiles + (4 * (i) + 3) * es); \
            v8 s0 = s0##_a + s0##_b + s0##_c, s1 = s0##_b - s0##_c - s0##_d
            ROW(0, s00, s01);
            ROW(1, s10, s11);
            ROW(2, s20, s21);
            ROW(3, s30, s31);
#undef ROW
            // … then down the columns.
            v8 top0 = s00 + s10 + s20 + b, top1 = s01 + s11 + s21 + b;
            v8 bottom0 = s10 - s20 - s30 + b, bottom1 = s11 - s21 - s31 + b;
            if (2 * (tx + LANES) <= out_w) {
                v8 low = INTERLEAVE_LOW(top0, top1), high = INTERLEAVE_HIGH(top0, top1);
                memcpy(y0 + 2 * tx, &low, sizeof(v8));
                memcpy(y0 + 2 * tx + LANES, &high, sizeof(v8));
                if (second_row) {
                    low = INTERLEAVE_LOW(bottom0, bottom1);
                    high = INTERLEAVE_HIGH(bottom0, bottom1);
                    memcpy(y0 + out_w + 2 * tx, &low, sizeof(v8));
                    memcpy(y0 + out_w + 2 * tx + LANES, &high, sizeof(v8));
                }
                continue;
            }
            for (long l = 0; l < lanes; l++) {
                const long x = 2 * (tx + l);
                const int second_column = x + 1 < out_w;
                y0[x] = top0[l];
                if (second_column) y0[x + 1] = top1[l];
                if (second_row) {
                    y0[out_w + x] = bottom0[l];
                    if (second_column) y0[out_w + x + 1] = bottom1[l];
                }
            }
        }
    }
}

void fathom_winograd_output_adjoint(const fathom_winograd_tiling *t, const float *plane, float *dm, long es,
                                    float *rows) {
    const long out_w = t->out_width, out_h = t->out_height, cap = t->row_capacity, tc = t->tile_columns;
    float *g0 = rows, *g1 = rows + cap;
    for (long ty = 0; ty < t->tile_rows; ty++) {
        memset(rows, 0, (size_t)(2 * cap) * sizeof(float));
        memcpy(g0, plane + 2 * ty * out_w, (size_t)out_w * sizeof(float));
        if (2 * ty + 1 < out_h) memcpy(g1, plane + (2 * ty + 1) * out_w, (size_t)out_w * sizeof(float));
        for (long tx = 0; tx < tc; tx += LANES) {
            const long lanes = min_long(LANES, tc - tx);
            LOAD(top_low, g0 + 2 * tx); LOAD(top_high, g0 + 2 * tx + LANES);
            LOAD(bottom_low, g1 + 2 * tx); LOAD(bottom_high, g1 + 2 * tx + LANES);
            v8 g00 = EVEN(top_low, top_high), g01 = ODD(top_low, top_high);
            v8 g10 = EVEN(bottom_low, bottom_high), g11 = ODD(bottom_low, bottom_high);
            // A down the columns (rows i of dM for output columns 0 and 1) …
            v8 a0 = g00, a1 = g00 + g10, a2 = g00 - g10, a3 = -g10;
            v8 b0 = g01, b1 = g01 + g11, b2 = g01 - g11, b3 = -g11;
            // … then A along each row: dM[i] = (a_i, a_i + b_i, a_i - b_i, -b_i).
            float *out = dm + ty * tc + tx;
#define EMIT(i, a, b) do { STORE(out + (4 * (i)) * es, a, lanes); STORE(out + (4 * (i) + 1) * es, (a) + (b), lanes); \
                STORE(out + (4 * (i) + 2) * es, (a) - (b), lanes); STORE(out + (4 * (i) + 3) * es, -(b), lanes); } while (0)
            EMIT(0, a0, b0);
            EMIT(1, a1, b1);
            EMIT(2, a2, b2);
            EMIT(3, a3, b3);
#undef EMIT
        }
    }
}
