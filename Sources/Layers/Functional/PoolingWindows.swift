/// The input windows of a 2-D pooling along one axis: for each output position, the range of
/// input positions it reads (already clipped to the input) and the count it divides by when
/// averaging. Windows are separable, so a 2-D window is a row window times a column window.
struct PoolingWindows {
    /// The input range read by each output position.
    let ranges: [Range<Int>]
    /// The averaging divisor of each output position.
    let divisors: [Int]

    var outputSize: Int { ranges.count }

    /// Sliding windows with PyTorch's `MaxPool2d`/`AvgPool2d` rules along one axis.
    ///
    /// `out = floor_or_ceil((size + 2·pad − kernel) / stride) + 1`; in ceil mode a last window
    /// that would start in the right padding is dropped. The divisor with `countIncludePad`
    /// counts padding but not the overhang past the right padding that ceil mode adds.
    static func sliding(op: String, inputSize: Int, kernel: Int, stride: Int, padding: Int,
                        ceilMode: Bool, countIncludePad: Bool) -> PoolingWindows {
        precondition(kernel > 0 && stride > 0, "\(op): kernel size \(kernel) and stride \(stride) must be positive")
        precondition(padding >= 0 && padding <= kernel / 2,
                     "\(op): padding \(padding) must be between 0 and half the kernel size \(kernel)")
        let span = inputSize + 2 * padding - kernel
        precondition(span >= 0, "\(op): kernel \(kernel) is larger than the padded input \(inputSize + 2 * padding)")
        var outputSize = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1
        if ceilMode && (outputSize - 1) * stride >= inputSize + padding { outputSize -= 1 }
        var ranges: [Range<Int>] = [], divisors: [Int] = []
        ranges.reserveCapacity(outputSize)
        divisors.reserveCapacity(outputSize)
        for o in 0..<outputSize {
            let start = o * stride - padding
            let end = Swift.min(start + kernel, inputSize + padding)
            let clipped = Swift.max(start, 0)..<Swift.min(end, inputSize)
            ranges.append(clipped)
            divisors.append(countIncludePad ? end - start : clipped.count)
        }
        return PoolingWindows(ranges: ranges, divisors: divisors)
    }

    /// PyTorch's adaptive windows: output `i` reads `floor(i·size/out) ..< ceil((i+1)·size/out)`.
    static func adaptive(op: String, inputSize: Int, outputSize: Int) -> PoolingWindows {
        precondition(outputSize > 0, "\(op): output size \(outputSize) must be positive")
        precondition(inputSize > 0, "\(op): input size \(inputSize) must be positive")
        let ranges = (0..<outputSize).map { i in
            (i * inputSize / outputSize)..<(((i + 1) * inputSize + outputSize - 1) / outputSize)
        }
        return PoolingWindows(ranges: ranges, divisors: ranges.map(\.count))
    }
}
