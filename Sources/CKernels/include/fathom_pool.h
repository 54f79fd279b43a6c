#ifndef FATHOM_POOL_H
#define FATHOM_POOL_H

#include <stdint.h>

/// Max pooling with 3x3 windows, stride 2 and padding 1 (ResNet's stem) over one plane:
/// output (oy, ox) reads rows 2oy-1 ... 2oy+1 and columns 2ox-1 ... 2ox+1, clipped to the
/// plane. Each output is the window's first maximum in row-major order (a strict `>` scan from
/// -inf, its index starting at the window's first element), or its first NaN when the window
/// holds one — the general path's rule, bit for bit (Layers/Functional/Pooling2D.swift).
/// `argmax` (in-plane indices) may be NULL when nothing will read it. Interior outputs go eight
/// at a time through vector selects; the border through the scalar rule.
void fathom_max_pool_3x3_stride2(const float *plane, long height, long width, long out_height, long out_width,
                                 float *out, int32_t *argmax);

#endif
