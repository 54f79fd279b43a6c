import Tensor

extension Tensor {
    /// The CHW image with each channel's histogram equalized, as Pillow's
    /// `ImageOps.equalize`.
    ///
    /// Values are quantized to 256 levels (`round(255 · x)`, clamped to 0...255) and mapped
    /// through Pillow's table: with `step = (N − count of the highest level) / 256`, level
    /// `i` becomes `(step/2 + pixels below i) / step` (integer division, capped at 255), and
    /// the result is divided by 255. A channel with one level, or too few pixels for a step,
    /// is returned quantized but otherwise unchanged.
    ///
    /// Not differentiable: the result is piecewise constant in the input.
    public func histogramEqualized() -> Tensor {
        let layout = ImageLayout(self, "histogramEqualized()")
        let plane = layout.planeCount
        return Tensor.nonDifferentiable(shape: shape) { out in
            withUnsafeBufferPointer { input in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { histogram in
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: 256) { table in
                        for c in 0..<layout.channels {
                            let source = input.baseAddress! + c * plane, target = out.baseAddress! + c * plane
                            histogram.initialize(repeating: 0)
                            for i in 0..<plane { histogram[HistogramEqualization.level(source[i])] += 1 }
                            HistogramEqualization.buildTable(histogram: UnsafeBufferPointer(histogram), into: table)
                            for i in 0..<plane { target[i] = table[HistogramEqualization.level(source[i])] }
                        }
                    }
                }
            }
        }
    }
}

/// Equalizes the histogram of each channel (Pillow's `ImageOps.equalize`); see
/// `Tensor.histogramEqualized()`.
public struct HistogramEqualization: DeterministicTransform {
    /// Equalization, no parameters.
    public init() {}

    /// The equalized image.
    public func callAsFunction(_ image: Tensor) -> Tensor { image.histogramEqualized() }

    /// The 8-bit level of a value in 0...1 (NaN counts as 0).
    @inline(__always)
    static func level(_ value: Float) -> Int {
        let scaled = value * 255
        return !(scaled > 0) ? 0 : scaled >= 255 ? 255 : Int(scaled + 0.5)
    }

    /// Pillow's lookup table for one channel, as values in 0...1.
    static func buildTable(histogram: UnsafeBufferPointer<Int>, into table: UnsafeMutableBufferPointer<Float>) {
        var used = 0, total = 0, lastCount = 0
        for count in histogram where count > 0 {
            used += 1
            total += count
            lastCount = count
        }
        let step = (total - lastCount) / 256
        guard used > 1, step > 0 else {
            for i in 0..<256 { table[i] = Float(i) / 255 }
            return
        }
        var n = step / 2
        for i in 0..<256 {
            table[i] = Float(min(n / step, 255)) / 255
            n += histogram[i]
        }
    }
}
