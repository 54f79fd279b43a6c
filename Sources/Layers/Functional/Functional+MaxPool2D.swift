import Tensor

/// 2-D max pooling over NCHW images, as PyTorch's `torch.nn.functional.max_pool2d`.
///
/// - Parameters:
///   - kernelSize: window (height, width).
///   - stride: step between windows; defaults to the kernel size.
///   - padding: implicit −∞ padding on each side, at most half the kernel.
///   - ceilMode: round the output size up, keeping a last partial window only when it starts
///     inside the input or the left/top padding.
/// - Returns: `[N, C, outH, outW]` with `out = floor_or_ceil((H + 2·pad − k) / stride) + 1`.
///
/// Differentiable with respect to `input`: the gradient goes to the first maximum of each window.
public func maxPool2d(_ input: Tensor, kernelSize: (Int, Int), stride: (Int, Int)? = nil,
                      padding: (Int, Int) = (0, 0), ceilMode: Bool = false) -> Tensor {
    let stride = stride ?? kernelSize
    let pooling = Pooling2D(input: input.shape, op: "maxPool2d",
                            rows: { .sliding(op: "maxPool2d", inputSize: $0, kernel: kernelSize.0, stride: stride.0,
                                             padding: padding.0, ceilMode: ceilMode, countIncludePad: false) },
                            columns: { .sliding(op: "maxPool2d", inputSize: $0, kernel: kernelSize.1, stride: stride.1,
                                                padding: padding.1, ceilMode: ceilMode, countIncludePad: false) })
    let (output, argmax) = pooling.maxForward(input, keepsArgmax: tapeWouldRecord([input]))
    guard let argmax else { return output }
    return Tensor.record("maxPool2d", result: output, inputs: [input]) { gradient in
        [pooling.maxBackward(gradient, argmax: argmax)]
    }
}
