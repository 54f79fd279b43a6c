import Tensor

/// The loops behind every 2-D pooling: one geometry (separable windows over NCHW planes) and
/// the max and average kernels with their backward passes, split across the cores by plane.
struct Pooling2D {
    let batch: Int, channels: Int, height: Int, width: Int
    let rows: PoolingWindows, columns: PoolingWindows

    init(input: [Int], op: String, rows: (Int) -> PoolingWindows, columns: (Int) -> PoolingWindows) {
        precondition(input.count == 4, "\(op): input must be NCHW (rank 4), got shape \(input)")
        batch = input[0]; channels = input[1]; height = input[2]; width = input[3]
        self.rows = rows(height)
        self.columns = columns(width)
    }

    var planes: Int { batch * channels }
    var inputPlane: Int { height * width }
    var outputPlane: Int { rows.outputSize * columns.outputSize }
    var inputShape: [Int] { [batch, channels, height, width] }
    var outputShape: [Int] { [batch, channels, rows.outputSize, columns.outputSize] }

    /// Calls `body` for ranges of planes, split across the cores when the work is large.
    private func forEachPlaneChunk(_ body: (Range<Int>) -> Void) {
        forEachChunk(count: planes, costPerItem: Swift.max(inputPlane, outputPlane) * 2, body)
    }

    /// Window averages with the divisors of ``PoolingWindows``.
    func averageForward(_ input: Tensor) -> Tensor {
        Tensor(shape: outputShape) { out in
            input.withUnsafeBufferPointer { x in
                let x = x.baseAddress!, y = out.baseAddress!
                forEachPlaneChunk { planeRange in
                    for p in planeRange {
                        let xp = x + p * inputPlane, yp = y + p * outputPlane
                        var o = 0
                        for (rowRange, rowDivisor) in zip(rows.ranges, rows.divisors) {
                            for (colRange, colDivisor) in zip(columns.ranges, columns.divisors) {
                                var total: Float = 0
                                for iy in rowRange {
                                    let line = xp + iy * width
                                    for ix in colRange { total += line[ix] }
                                }
                                yp[o] = total / Float(rowDivisor * colDivisor)
                                o += 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// Spreads each output gradient evenly (by its divisor) over its window.
    func averageBackward(_ gradient: Tensor) -> Tensor {
        var gradInput = Tensor.zeros(inputShape)
        gradient.withUnsafeBufferPointer { gy in
            gradInput.withUnsafeMutableBufferPointer { gx in
                let gy = gy.baseAddress!, gx = gx.baseAddress!
                forEachPlaneChunk { planeRange in
                    for p in planeRange {
                        let gxp = gx + p * inputPlane, gyp = gy + p * outputPlane
                        var o = 0
                        for (rowRange, rowDivisor) in zip(rows.ranges, rows.divisors) {
                            for (colRange, colDivisor) in zip(columns.ranges, columns.divisors) {
                                let share = gyp[o] / Float(rowDivisor * colDivisor)
                                for iy in rowRange {
                                    let line = gxp + iy * width
                                    for ix in colRange { line[ix] += share }
                                }
                                o += 1
                            }
                        }
                    }
                }
            }
        }
        return gradInput
    }

    /// Window maxima and, for the backward pass, the in-plane index of each maximum (the first
    /// one on ties; NaN wins, as in PyTorch) — only when `keepsArgmax`: without a tape nothing
    /// reads them (8 MiB of indices for ResNet's stem at 128 px and batch 32).
    func maxForward(_ input: Tensor, keepsArgmax: Bool = true) -> (output: Tensor, argmax: [Int32]?) {
        precondition(inputPlane <= Int(Int32.max), "maxPool2d: plane of \(inputPlane) scalars is too large")
        if isPairwise { return maxForwardPairwise(input) }
        let threeByThree = isThreeByThreeStrideTwo
        let count = keepsArgmax ? planes * outputPlane : 0
        // Every index is written below: no zero fill.
        var argmax = [Int32](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        let output = Tensor(shape: outputShape) { out in
            input.withUnsafeBufferPointer { x in
                argmax.withUnsafeMutableBufferPointer { indices in
                    // An empty array's buffer may still have a base address: test the flag, not nil.
                    let x = x.baseAddress!, y = out.baseAddress!, indices = keepsArgmax ? indices.baseAddress! : nil
                    forEachPlaneChunk { planeRange in
                        for p in planeRange {
                            let xp = x + p * inputPlane, yp = y + p * outputPlane, ip = indices.map { $0 + p * outputPlane }
                            if threeByThree {
                                maxPlaneThreeByThree(xp, into: yp, argmax: ip)
                                continue
                            }
                            var o = 0
                            for rowRange in rows.ranges {
                                for colRange in columns.ranges {
                                    // Selects, not branches, for the running maximum (its comparisons
                                    // are unpredictable); NaN never compares greater, so a window
                                    // whose sum is NaN is rescanned for its first NaN.
                                    var best = -Float.infinity, bestIndex = rowRange.lowerBound * width + colRange.lowerBound
                                    var total: Float = 0
                                    for iy in rowRange {
                                        for ix in colRange {
                                            let v = xp[iy * width + ix]
                                            let greater = v > best
                                            best = greater ? v : best
                                            bestIndex = greater ? iy * width + ix : bestIndex
                                            total += v
                                        }
                                    }
                                    if total.isNaN, let nan = Self.firstNaN(xp, rows: rowRange, columns: colRange, width: width) {
                                        (best, bestIndex) = (.nan, nan)
                                    }
                                    yp[o] = best
                                    ip?[o] = Int32(bestIndex)
                                    o += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return (output, keepsArgmax ? argmax : nil)
    }

    /// The in-plane index of the first NaN of a window, row-major, if any.
    static func firstNaN(_ plane: UnsafePointer<Float>, rows: Range<Int>, columns: Range<Int>, width: Int) -> Int? {
        for iy in rows {
            for ix in columns where plane[iy * width + ix].isNaN { return iy * width + ix }
        }
        return nil
    }

    /// Routes each output gradient to the input that was the maximum of its window.
    func maxBackward(_ gradient: Tensor, argmax: [Int32]) -> Tensor {
        var gradInput = Tensor.zeros(inputShape)
        gradient.withUnsafeBufferPointer { gy in
            gradInput.withUnsafeMutableBufferPointer { gx in
                argmax.withUnsafeBufferPointer { indices in
                    let gy = gy.baseAddress!, gx = gx.baseAddress!, indices = indices.baseAddress!
                    forEachPlaneChunk { planeRange in
                        for p in planeRange {
                            let gxp = gx + p * inputPlane
                            for o in (p * outputPlane)..<((p + 1) * outputPlane) { gxp[Int(indices[o])] += gy[o] }
                        }
                    }
                }
            }
        }
        return gradInput
    }
}
