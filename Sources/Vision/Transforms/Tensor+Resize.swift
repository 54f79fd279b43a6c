import Tensor

extension Tensor {
    /// The CHW image resampled to `height × width`.
    ///
    /// Bilinear resampling follows the half-pixel convention of PIL and PyTorch
    /// (`src = (dst + 0.5) · scale − 0.5`, clamped at the border, `align_corners=False`). With
    /// `antialias` (the default, like torchvision's `antialias=True` and PIL), downscaling
    /// widens the filter by the scale so that every source pixel contributes (an area-like
    /// average instead of aliasing); upscaling is the same either way. Nearest takes the pixel
    /// whose centre is nearest, `floor((dst + 0.5) · scale)`.
    public func resized(height: Int, width: Int, interpolation: Interpolation = .bilinear, antialias: Bool = true) -> Tensor {
        let layout = ImageLayout(self, "resized(height:width:)")
        return resized(from: ImageRegion(top: 0, left: 0, height: layout.height, width: layout.width),
                       height: height, width: width, interpolation: interpolation, antialias: antialias)
    }

    /// The pixels of `region` resampled to `height × width`; the same as cropping then
    /// resizing (torchvision's `resized_crop`), without the intermediate image.
    public func resized(from region: ImageRegion, height: Int, width: Int,
                        interpolation: Interpolation = .bilinear, antialias: Bool = true) -> Tensor {
        let layout = ImageLayout(self, "resized(from:height:width:)")
        precondition(height > 0 && width > 0, "resized: output size must be positive, got \(height)×\(width)")
        precondition(region.top >= 0 && region.left >= 0 && region.height > 0 && region.width > 0
                     && region.top + region.height <= layout.height && region.left + region.width <= layout.width,
                     "resized(from:): region \(region) is not inside the image of shape \(shape)")
        let rows = ResamplingTable(outputCount: height, sourceOffset: region.top, sourceCount: region.height,
                                   interpolation: interpolation, antialias: antialias)
        let columns = ResamplingTable(outputCount: width, sourceOffset: region.left, sourceCount: region.width,
                                      interpolation: interpolation, antialias: antialias)
        if rows.isIdentity && columns.isIdentity { return self }
        return withUnsafeBufferPointer { input in
            Resampler.resample(input.baseAddress!, layout: layout, regionTop: region.top, regionHeight: region.height,
                               rows: rows, columns: columns)
        }
    }
}

/// The two passes of separable resampling over raw buffers.
enum Resampler {
    /// Work per parallel chunk, in multiply-adds: below this a resize runs on one thread
    /// (the data loader already runs one image per core).
    static let chunkWork = 1 << 18

    /// Columns first (only over the rows of the region), then rows.
    static func resample(_ input: UnsafePointer<Float>, layout: ImageLayout, regionTop: Int, regionHeight: Int,
                         rows: ResamplingTable, columns: ResamplingTable) -> Tensor {
        let outHeight = rows.starts.count, outWidth = columns.starts.count
        let channels = layout.channels
        // After the column pass, `source` holds `channels × sourceRows` rows of `outWidth`,
        // and `rowBase` is the image row stored at its row 0.
        let intermediate: UnsafeMutablePointer<Float>?
        let source: UnsafePointer<Float>, sourceRows: Int, rowBase: Int
        if columns.isIdentity {
            intermediate = nil
            (source, sourceRows, rowBase) = (input, layout.height, 0)
        } else {
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: channels * regionHeight * outWidth)
            horizontalPass(input, layout: layout, regionTop: regionTop, regionHeight: regionHeight,
                           columns: columns, into: buffer)
            intermediate = buffer
            (source, sourceRows, rowBase) = (UnsafePointer(buffer), regionHeight, regionTop)
        }
        defer { intermediate?.deallocate() }
        if rows.isIdentity {
            // Only reachable with a column pass: its output is the result.
            return Tensor(shape: [channels, outHeight, outWidth]) { out in
                out.baseAddress!.update(from: source, count: channels * outHeight * outWidth)
            }
        }
        return Tensor(shape: [channels, outHeight, outWidth]) { out in
            verticalPass(source, channels: channels, sourceRows: sourceRows, rowBase: rowBase, width: outWidth,
                         rows: rows, into: out.baseAddress!)
        }
    }

    /// Resamples each row of the region along x: `[C, regionHeight, outWidth]`.
    private static func horizontalPass(_ input: UnsafePointer<Float>, layout: ImageLayout, regionTop: Int, regionHeight: Int,
                                       columns: ResamplingTable, into output: UnsafeMutablePointer<Float>) {
        let outWidth = columns.starts.count, stride = columns.stride
        let rowCount = layout.channels * regionHeight
        columns.starts.withUnsafeBufferPointer { starts in
            columns.counts.withUnsafeBufferPointer { counts in
                columns.weights.withUnsafeBufferPointer { weights in
                    let minimumChunk = max(1, chunkWork / max(1, outWidth * stride))
                    Parallel.forEachChunk(count: rowCount, minimumChunk: minimumChunk) { range in
                        for row in range {
                            let c = row / regionHeight, y = regionTop + row % regionHeight
                            let source = input + (c * layout.height + y) * layout.width
                            let target = output + row * outWidth
                            for x in 0..<outWidth {
                                let taps = source + starts[x], w = weights.baseAddress! + x * stride
                                var sum: Float = 0
                                for k in 0..<counts[x] { sum += w[k] * taps[k] }
                                target[x] = sum
                            }
                        }
                    }
                }
            }
        }
    }

    /// Resamples along y: each output row is a weighted sum of whole source rows, so the
    /// inner loop runs along contiguous memory.
    private static func verticalPass(_ source: UnsafePointer<Float>, channels: Int, sourceRows: Int, rowBase: Int, width: Int,
                                     rows: ResamplingTable, into output: UnsafeMutablePointer<Float>) {
        let outHeight = rows.starts.count, stride = rows.stride
        rows.starts.withUnsafeBufferPointer { starts in
            rows.counts.withUnsafeBufferPointer { counts in
                rows.weights.withUnsafeBufferPointer { weights in
                    let minimumChunk = max(1, chunkWork / max(1, width * stride))
                    Parallel.forEachChunk(count: channels * outHeight, minimumChunk: minimumChunk) { range in
                        for row in range {
                            let c = row / outHeight, y = row % outHeight
                            let target = output + row * width
                            let plane = source + c * sourceRows * width
                            let w = weights.baseAddress! + y * stride
                            let first = plane + (starts[y] - rowBase) * width
                            let w0 = w[0]
                            for x in 0..<width { target[x] = w0 * first[x] }
                            for k in 1..<counts[y] {  // every output has at least one tap
                                let taps = first + k * width, wk = w[k]
                                for x in 0..<width { target[x] += wk * taps[x] }
                            }
                        }
                    }
                }
            }
        }
    }
}
