import Tensor

/// 2-D cross-correlation over NCHW images, as PyTorch's `torch.nn.functional.conv2d`.
///
/// - Parameters:
///   - input: `[N, C, H, W]`.
///   - weight: `[O, C / groups, kH, kW]` (OIHW).
///   - bias: `[O]`, added to every output position of its channel.
///   - stride: step between output positions, (vertical, horizontal).
///   - padding: zero padding, explicit or TensorFlow SAME (see ``Padding2D``).
///   - dilation: spacing between kernel taps.
///   - groups: input and output channels are split into `groups` independent convolutions;
///     `groups == C` with one input channel per group is a depthwise convolution.
/// - Returns: `[N, O, outH, outW]` with `out = (H + padTop + padBottom − (kH − 1)·dilation − 1) / stride + 1`.
///
/// Differentiable with respect to `input`, `weight` and `bias`. The algorithm follows the shape
/// (``ConvolutionAlgorithm``): depthwise convolutions run a direct loop, 3×3 stride-1 ones
/// Winograd's F(2×2, 3×3), all others im2col + GEMM.
public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                   padding: Padding2D = .valid, dilation: (Int, Int) = (1, 1), groups: Int = 1) -> Tensor {
    let geometry = ConvolutionGeometry(input: input.shape, weight: weight.shape, stride: stride,
                                       padding: padding, dilation: dilation, groups: groups)
    if let bias {
        precondition(bias.shape == [geometry.outChannels],
                     "conv2d: bias shape \(bias.shape) does not match weight \(weight.shape) (expected [\(geometry.outChannels)])")
    }
    let algorithm = ConvolutionAlgorithm(geometry)
    let output = algorithm.forward(input: input, weight: weight, bias: bias, geometry: geometry)
    let inputs = bias.map { [input, weight, $0] } ?? [input, weight]
    return Tensor.record("conv2d", result: output, inputs: inputs) { gradient in
        let (gradInput, gradWeight) = algorithm.backward(gradient: gradient, input: input, weight: weight, geometry: geometry,
                                                         needsInput: input.requiresGradient,
                                                         needsWeight: weight.requiresGradient)
        guard let bias else { return [gradInput, gradWeight] }
        return [gradInput, gradWeight, bias.requiresGradient ? ChannelLayout(gradient.shape).sums(of: gradient) : nil]
    }
}
