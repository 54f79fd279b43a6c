import CKernels
import Tensor

/// The fast path of ResNet's stem pooling, 3×3 windows with stride 2 and padding 1: the C
/// kernel (`CKernels/fathom_pool.c`) takes eight outputs of a row per vector. Same maxima and
/// argmax as the general path, bit for bit (the first maximum in row-major order; the first
/// NaN wins). Measured reason: the general loop was ~5 % of a ResNet-18 training step at 128 px.
extension Pooling2D {
    /// Whether every window along both axes is `max(2i − 1, 0) ..< min(2i + 2, size)`.
    var isThreeByThreeStrideTwo: Bool {
        rows.isThreeWideStrideTwo(inputSize: height) && columns.isThreeWideStrideTwo(inputSize: width)
    }

    /// ``maxForward(_:keepsArgmax:)`` of one plane with 3×3 stride-2 windows: maxima into `output`,
    /// and their in-plane indices into `argmax` when it is given.
    func maxPlaneThreeByThree(_ plane: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>,
                              argmax: UnsafeMutablePointer<Int32>?) {
        fathom_max_pool_3x3_stride2(plane, height, width, rows.outputSize, columns.outputSize, output, argmax)
    }
}

extension PoolingWindows {
    /// Whether output `i` reads exactly `max(2i − 1, 0) ..< min(2i + 2, inputSize)`.
    func isThreeWideStrideTwo(inputSize: Int) -> Bool {
        ranges.enumerated().allSatisfy { i, range in
            range == Swift.max(2 * i - 1, 0)..<Swift.min(2 * i + 2, inputSize)
        }
    }
}
