// 3x3 stride-2 max pooling (fathom_pool.h): eight outputs of a row per vector, their inputs
// deinterleaved from two 8-wide loads per window column; branch-free selects for the maximum
// and its index. Measured reason: the general Swift loop (window ranges, one output at a time)
// was ~5 % of a ResNet-18 training step at 128 px, where the stem's pool runs twice
// (checkpointed).
#include "fathom_pool.h"

#include <string.h>

typedef float v8 __attribute__((vector_size(32)));
typedef int32_t vi8 __attribute__((vector_size(32)));

static long max_long(long a, long b) { return a > b ? a : b; }
static long min_long(long a, long b) { return a < b ? a : b; }

/// One output by the general rule: rows [r0, r1) and columns [c0, c1) of the plane.
static void window_max(const float *plane, long width, long r0, long r1, long c0, long c1, float *best_out,
                       int32_t *index_out) {
    float best = -__builtin_inff(), total = 0;
    long index = r0 * width + c0;
    for (long iy = r0; iy < r1; iy++)
        for (long ix = c0; ix < c1; ix++) {
            const float v = plane[iy * width + ix];
            if (v > best) { best = v; index = iy * width + ix; }
            total += v;
        }
    if (total != total) {  // NaN (or both infinities): the first NaN wins, if there is one
        for (long iy = r0; iy < r1; iy++)
            for (long ix = c0; ix < c1; ix++) {
                const float v = plane[iy * width + ix];
                if (v != v) { *best_out = v; *index_out = (int32_t)(iy * width + ix); return; }
            }
    }
    *best_out = best;
    *index_out = (int32_t)index;
}

static void scalar_output(const float *plane, long height, long width, long oy, long ox, float *out, int32_t *argmax) {
    float best;
    int32_t index;
    window_max(plane, width, max_long(2 * oy - 1, 0), min_long(2 * oy + 2, height), max_long(2 * ox - 1, 0),
               min_long(2 * ox + 2, width), &best, &index);
    *out = best;
    if (argmax) *argmax = index;
}

void fathom_max_pool_3x3_stride2(const float *plane, long height, long width, long out_height, long out_width,
                                 float *out, int32_t *argmax) {
    const vi8 lane_offsets = {0, 2, 4, 6, 8, 10, 12, 14};
    for (long oy = 0; oy < out_height; oy++) {
        float *row_out = out + oy * out_width;
        int32_t *row_argmax = argmax ? argmax + oy * out_width : 0;
        const int full_rows = 2 * oy - 1 >= 0 && 2 * oy + 1 <= height - 1;
        long ox = 0;
        // Scalar until the windows are inside the plane (ox = 0 reads column -1).
        for (; ox < out_width && (!full_rows || 2 * ox - 1 < 0); ox++)
            scalar_output(plane, height, width, oy, ox, row_out + ox, row_argmax ? row_argmax + ox : 0);
        // Eight outputs at a time while their loads (up to column 2ox + 16) stay inside.
        for (; full_rows && ox + 8 <= out_width && 2 * ox + 16 <= width - 1; ox += 8) {
            v8 best = {0};
            best -= __builtin_inff();
            v8 total = {0};
            vi8 index = (vi8){0} + (int32_t)((2 * oy - 1) * width + 2 * ox - 1) + lane_offsets;
            for (long dy = 0; dy < 3; dy++) {
                const long iy = 2 * oy - 1 + dy;
                for (long dx = 0; dx < 3; dx++) {
                    const long start = 2 * ox - 1 + dx;
                    v8 low, high;
                    memcpy(&low, plane + iy * width + start, sizeof low);
                    memcpy(&high, plane + iy * width + start + 8, sizeof high);
                    const v8 v = __builtin_shufflevector(low, high, 0, 2, 4, 6, 8, 10, 12, 14);
                    const vi8 candidate = (vi8){0} + (int32_t)(iy * width + start) + lane_offsets;
                    const vi8 greater = v > best;
                    best = (v8)(((vi8)v & greater) | ((vi8)best & ~greater));
                    index = (candidate & greater) | (index & ~greater);
                    total += v;
                }
            }
            memcpy(row_out + ox, &best, sizeof best);
            if (row_argmax) memcpy(row_argmax + ox, &index, sizeof index);
            for (int lane = 0; lane < 8; lane++)  // a NaN somewhere: that window by the rule
                if (total[lane] != total[lane])
                    scalar_output(plane, height, width, oy, ox + lane, row_out + ox + lane,
                                  row_argmax ? row_argmax + ox + lane : 0);
        }
        for (; ox < out_width; ox++)
            scalar_output(plane, height, width, oy, ox, row_out + ox, row_argmax ? row_argmax + ox : 0);
    }
}
