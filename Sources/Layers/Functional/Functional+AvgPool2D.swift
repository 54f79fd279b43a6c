import Tensor

/// 2-D average pooling over NCHW images, as PyTorch's `torch.nn.functional.avg_pool2d`.
///
/// - Parameters:
///   - kernelSize: window (height, width).
///   - stride: step between windows; defaults to the kernel size.
///   - padding: implicit zero padding on each side, at most half the kernel.
///   - ceilMode: round the output size up (a last window must start inside the input or the
///     left/top padding).
///   - countIncludePad: divide by the window size including padding (but, as PyTorch, not the
///     part of a ceil-mode window that hangs past the right/bottom padding); otherwise divide
///     by the number of input elements in the window.
///
/// Differentiable with respect to `input`.
public func avgPool2d(_ input: Tensor, kernelSize: (Int, Int), stride: (Int, Int)? = nil,
                      padding: (Int, Int) = (0, 0), ceilMode: Bool = false, countIncludePad: Bool = true) -> Tensor {
    let stride = stride ?? kernelSize
    let pooling = Pooling2D(input: input.shape, op: "avgPool2d",
                            rows: { .sliding(op: "avgPool2d", inputSize: $0, kernel: kernelSize.0, stride: stride.0,
                                             padding: padding.0, ceilMode: ceilMode, countIncludePad: countIncludePad) },
                            columns: { .sliding(op: "avgPool2d", inputSize: $0, kernel: kernelSize.1, stride: stride.1,
                                                padding: padding.1, ceilMode: ceilMode, countIncludePad: countIncludePad) })
    return averagePool(input, pooling, op: "avgPool2d")
}

/// The differentiable average over the windows of `pooling` (shared by the average poolings).
func averagePool(_ input: Tensor, _ pooling: Pooling2D, op: String) -> Tensor {
    Tensor.record(op, result: pooling.averageForward(input), inputs: [input]) { gradient in
        [pooling.averageBackward(gradient)]
    }
}
