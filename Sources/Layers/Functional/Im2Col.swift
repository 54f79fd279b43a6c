/// The column-matrix transforms of convolution as GEMM (Caffe's im2col/col2im).
///
/// For one image and one group, the column matrix has a row per (input channel, ky, kx) and a
/// column per output position, so that `weight[Og, Cg·kH·kW] · columns` is the convolution.
/// Both loops run tap by tap over precomputed valid ranges, so the inner loop is a straight
/// (or strided) copy with no bounds test.
extension ConvolutionGeometry {
    /// Writes the column matrix (`columnRows` × `outputPlane`, rows `rowStride` apart) of the
    /// `inChannelsPerGroup` consecutive input planes starting at `input`, splitting the channels
    /// across the cores (unless the caller is already one of several workers).
    func im2col(_ input: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
        let rowStride = rowStride ?? outputPlane
        forEachChannelChunk { channels in
            for c in channels { im2col(channel: c, input, into: columns, rowStride: rowStride) }
        }
    }

    /// Adds the column matrix back into the `inChannelsPerGroup` input planes starting at
    /// `input`: the adjoint of ``im2col(_:into:rowStride:)``, where overlapping taps accumulate.
    func col2im(_ columns: UnsafePointer<Float>, addingInto input: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
        let rowStride = rowStride ?? outputPlane
        forEachChannelChunk { channels in
            for c in channels { col2im(channel: c, columns, addingInto: input, rowStride: rowStride) }
        }
    }

    /// Channels are independent in both directions (each owns its rows and its plane).
    private func forEachChannelChunk(_ body: (Range<Int>) -> Void) {
        forEachChunk(count: inChannelsPerGroup, costPerItem: kernelArea * outputPlane, body)
    }

    /// The rows of input channel `c`.
    private func im2col(channel c: Int, _ input: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>,
                        rowStride: Int) {
        let outW = outWidth, rowStep = strideY * width, sx = strideX
        let source = input + c * inputPlane
        forEachTap { tap, rows, cols, offset in
            let row = columns + (c * kernelArea + tap) * rowStride
            // Output rows that read only padding are all zero.
            row.update(repeating: 0, count: rows.lowerBound * outW)
            (row + rows.upperBound * outW).update(repeating: 0, count: (outHeight - rows.upperBound) * outW)
            for oy in rows {
                let dst = row + oy * outW
                let src = source + (oy * rowStep + offset)
                dst.update(repeating: 0, count: cols.lowerBound)
                if sx == 1 {
                    (dst + cols.lowerBound).update(from: src + cols.lowerBound, count: cols.count)
                } else {
                    for ox in cols { dst[ox] = src[ox * sx] }
                }
                (dst + cols.upperBound).update(repeating: 0, count: outW - cols.upperBound)
            }
        }
    }

    /// Adds the rows of input channel `c` back into its plane.
    private func col2im(channel c: Int, _ columns: UnsafePointer<Float>, addingInto input: UnsafeMutablePointer<Float>,
                        rowStride: Int) {
        let outW = outWidth, rowStep = strideY * width, sx = strideX
        let target = input + c * inputPlane
        forEachTap { tap, rows, cols, offset in
            let row = columns + (c * kernelArea + tap) * rowStride
            for oy in rows {
                let src = row + oy * outW
                let dst = target + (oy * rowStep + offset)
                if sx == 1 {
                    for ox in cols { dst[ox] += src[ox] }
                } else {
                    for ox in cols { dst[ox * sx] += src[ox] }
                }
            }
        }
    }
}
