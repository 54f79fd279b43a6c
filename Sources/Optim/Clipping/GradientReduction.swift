import Tensor

/// Reductions and in-place edits over gradients, shared by the clipping functions.
enum GradientReduction {
    /// Elements per block of a parallel reduction. Blocks are fixed, so the summation order
    /// (and the result, to the last bit) does not depend on the number of cores.
    static let blockSize = 1 << 16

    /// `combine` over the values of `body` on consecutive blocks of `0..<count`, blocks
    /// computed in parallel.
    static func reduce(count: Int, initial: Double, combine: (Double, Double) -> Double,
                       _ body: (Range<Int>) -> Double) -> Double {
        let blocks = (count + blockSize - 1) / blockSize
        var partials = [Double](repeating: initial, count: blocks)
        partials.withUnsafeMutableBufferPointer { partial in
            Parallel.forEachChunk(count: blocks, minimumChunk: 1) { chunk in
                for block in chunk {
                    partial[block] = body((block * blockSize)..<min((block + 1) * blockSize, count))
                }
            }
        }
        return partials.reduce(initial, combine)
    }

    /// Edits the gradient of `parameter` in place (no-op without a gradient).
    ///
    /// The gradient is detached from the parameter while `body` runs, so the tensor is
    /// uniquely referenced and is written without a copy.
    static func modify(gradientOf parameter: Parameter, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        guard var gradient = parameter.grad else { return }
        parameter.grad = nil
        gradient.withUnsafeMutableBufferPointer(body)
        parameter.grad = gradient
    }
}
