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

    /// ``maxForward(_:keepsArgmax:)`` for 3×3 stride-2 windows.
    func maxForwardThreeByThree(_ input: Tensor, keepsArgmax: Bool) -> (output: Tensor, argmax: [Int32]?) {
        let outHeight = rows.outputSize, outWidth = columns.outputSize
        let count = keepsArgmax ? planes * outputPlane : 0
        // Every index is written by the kernel: no zero fill.
        var argmax = [Int32](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        let output = Tensor(shape: outputShape) { out in
            input.withUnsafeBufferPointer { x in
                argmax.withUnsafeMutableBufferPointer { indices in
                    // An empty array's buffer may still have a base address: test the flag, not nil.
                    let x = x.baseAddress!, y = out.baseAddress!, indices = keepsArgmax ? indices.baseAddress! : nil
                    forEachChunk(count: planes, costPerItem: inputPlane) { planeRange in
                        for p in planeRange {
                            fathom_max_pool_3x3_stride2(x + p * inputPlane, height, width, outHeight, outWidth,
                                                        y + p * outputPlane, indices.map { $0 + p * outputPlane })
                        }
                    }
                }
            }
        }
        return (output, keepsArgmax ? argmax : nil)
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
