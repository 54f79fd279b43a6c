import Tensor

/// The mean over each `kernelSize` window of an NCHW input (PyTorch's `nn.AvgPool2d`).
public final class AvgPool2D: Module {
    /// The window's (height, width).
    public let kernelSize: (Int, Int)
    /// The step between windows; the kernel size by default.
    public let stride: (Int, Int)
    /// Implicit zero padding on each side, (rows, columns).
    public let padding: (Int, Int)
    /// Whether a partial window at the end yields an output (`ceil_mode`).
    public let ceilMode: Bool
    /// Whether padded zeros count in the divisor (`count_include_pad`).
    public let countIncludePad: Bool

    /// Pooling with a `kernelSize` window, moving by `stride` (the kernel size when `nil`).
    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                ceilMode: Bool = false, countIncludePad: Bool = true) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
    }

    /// Pooling with a square window and equal strides and paddings.
    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false,
                            countIncludePad: Bool = true) {
        self.init(kernelSize: (kernelSize, kernelSize), stride: stride.map { ($0, $0) }, padding: (padding, padding),
                  ceilMode: ceilMode, countIncludePad: countIncludePad)
    }

    /// The pooled input.
    public override func forward(_ input: Tensor) -> Tensor {
        avgPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                  countIncludePad: countIncludePad)
    }
}
