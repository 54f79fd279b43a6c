import Tensor

/// The maximum over each `kernelSize` window of an NCHW input (PyTorch's `nn.MaxPool2d`;
/// padding counts as −∞).
public final class MaxPool2D: Module {
    /// The window's (height, width).
    public let kernelSize: (Int, Int)
    /// The step between windows; the kernel size by default.
    public let stride: (Int, Int)
    /// Implicit padding on each side, (rows, columns).
    public let padding: (Int, Int)
    /// Whether a partial window at the end yields an output (`ceil_mode`).
    public let ceilMode: Bool

    /// Pooling with a `kernelSize` window, moving by `stride` (the kernel size when `nil`).
    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0), ceilMode: Bool = false) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.ceilMode = ceilMode
    }

    /// Pooling with a square window and equal strides and paddings.
    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false) {
        self.init(kernelSize: (kernelSize, kernelSize), stride: stride.map { ($0, $0) },
                  padding: (padding, padding), ceilMode: ceilMode)
    }

    /// The pooled input.
    public override func forward(_ input: Tensor) -> Tensor {
        maxPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode)
    }
}
