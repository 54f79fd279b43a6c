import Tensor

/// The fast path of the most common pooling, 2×2 windows with stride 2 and no padding
/// (CompactCNN, VGG, U-Net): every window is two pairs of adjacent scalars in two adjacent
/// rows, so the loop needs no window ranges and reads each input scalar once. An odd last row
/// or column is outside every window, as in the general path.
extension Pooling2D {
    /// Whether every window along both axes is `2i ..< 2i + 2`.
    var isPairwise: Bool { rows.isPairwise && columns.isPairwise }

    /// ``maxForward(_:)`` for pairwise windows: the same maxima and argmax (the first maximum
    /// in row-major order; the first NaN wins).
    func maxForwardPairwise(_ input: Tensor) -> (output: Tensor, argmax: [Int32]) {
        let outHeight = rows.outputSize, outWidth = columns.outputSize, width = self.width, w = Int32(width)
        let count = planes * outputPlane
        var argmax = [Int32](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        let output = Tensor(shape: outputShape) { out in
            input.withUnsafeBufferPointer { x in
                argmax.withUnsafeMutableBufferPointer { indices in
                    let x = x.baseAddress!, y = out.baseAddress!, indices = indices.baseAddress!
                    forEachChunk(count: planes, costPerItem: inputPlane) { planeRange in
                        for p in planeRange {
                            let xp = x + p * inputPlane
                            for oy in 0..<outHeight {
                                let top = xp + 2 * oy * width, bottom = top + width
                                let o = (p * outHeight + oy) * outWidth
                                let yo = y + o, io = indices + o
                                let rowStart = Int32(2 * oy * width)
                                for ox in 0..<outWidth {
                                    let (best, offset) = Self.firstMaximum(top[2 * ox], top[2 * ox + 1],
                                                                           bottom[2 * ox], bottom[2 * ox + 1], width: w)
                                    yo[ox] = best
                                    io[ox] = rowStart + Int32(2 * ox) + offset
                                }
                            }
                        }
                    }
                }
            }
        }
        return (output, argmax)
    }
}

extension Pooling2D {
    /// The maximum of a 2×2 window `a b / c d` and its offset from `a` (0, 1, `width`,
    /// `width` + 1): the first maximum in row-major order, or the first NaN.
    ///
    /// Branch-free selects for ordinary values (on real activations the comparisons are
    /// unpredictable, and branching on them cost more than the rest of the loop); a window
    /// holding a NaN — or both infinities, whose sum is also NaN — takes the ordered scan.
    @inline(__always)
    static func firstMaximum(_ a: Float, _ b: Float, _ c: Float, _ d: Float, width: Int32) -> (Float, Int32) {
        if (a + b + c + d).isNaN {
            var best = a, offset: Int32 = 0
            func consider(_ value: Float, _ at: Int32) {
                if value > best || (value.isNaN && !best.isNaN) { (best, offset) = (value, at) }
            }
            consider(b, 1)
            consider(c, width)
            consider(d, width + 1)
            return (best, offset)
        }
        let takeB = b > a, takeD = d > c
        let top = takeB ? b : a, bottom = takeD ? d : c
        let topOffset: Int32 = takeB ? 1 : 0, bottomOffset: Int32 = takeD ? width + 1 : width
        return bottom > top ? (bottom, bottomOffset) : (top, topOffset)
    }
}

extension PoolingWindows {
    /// Whether output `i` reads exactly inputs `2i` and `2i + 1`.
    var isPairwise: Bool {
        ranges.enumerated().allSatisfy { i, range in range.lowerBound == 2 * i && range.count == 2 }
    }
}
