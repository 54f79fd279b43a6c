#ifndef FATHOM_WINOGRAD_H
#define FATHOM_WINOGRAD_H

/// The per-plane transforms of Winograd's F(2x2, 3x3) convolution and their adjoints, eight
/// tiles of a tile row per vector. The Swift side (Layers/Functional/WinogradTiling.swift)
/// documents the math and owns the buffers.
///
/// Layout conventions: transformed values are element-major, element `e = 4i + j` of tile `t`
/// at `[e * element_stride + t]`; `rows` is scratch of `10 * row_capacity` floats; matrices read
/// by eight-wide loads have 8 readable floats past their end.

typedef struct fathom_winograd_tiling {
    long height, width;          ///< input plane
    long pad_top, pad_left;      ///< zero padding before the first row / column
    long out_height, out_width;  ///< output plane
    long tile_rows, tile_columns;
    long row_capacity;           ///< >= 2 * tile_columns + 32
} fathom_winograd_tiling;

/// V = Bt d B of every 4x4 input window of one plane.
void fathom_winograd_input(const fathom_winograd_tiling *tiling, const float *plane, float *v,
                           long element_stride, float *rows);
/// Adds B dV Bt of every window into one input plane's gradient (overlaps accumulate).
void fathom_winograd_input_adjoint(const fathom_winograd_tiling *tiling, const float *dv, long element_stride,
                                   float *plane, float *rows);
/// One output plane from M: At M A per tile plus bias, positions past the edge dropped.
void fathom_winograd_output(const fathom_winograd_tiling *tiling, const float *m, long element_stride,
                            float bias, float *plane);
/// dM = A dY At per tile from one output plane's gradient (zero past the edge).
void fathom_winograd_output_adjoint(const fathom_winograd_tiling *tiling, const float *plane, float *dm,
                                    long element_stride, float *rows);

#endif
