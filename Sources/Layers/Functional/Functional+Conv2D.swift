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
/// Differentiable with respect to `input`, `weight` and `bias`. Depthwise convolutions run a
/// direct loop; all others run im2col + GEMM (`cblas_sgemm`) per image and group — per block of
/// images when the output maps are small — and a 1×1 stride-1 unpadded convolution of one image
/// reads the input as the column matrix without im2col.
public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1),
                   padding: Padding2D = .valid, dilation: (Int, Int) = (1, 1), groups: Int = 1) -> Tensor {
    let geometry = ConvolutionGeometry(input: input.shape, weight: weight.shape, stride: stride,
                                       padding: padding, dilation: dilation, groups: groups)
    if let bias {
        precondition(bias.shape == [geometry.outChannels],
                     "conv2d: bias shape \(bias.shape) does not match weight \(weight.shape) (expected [\(geometry.outChannels)])")
    }
    let isDepthwise = geometry.groups > 1 && geometry.inChannelsPerGroup == 1
    let output = isDepthwise
        ? DepthwiseConvolution.forward(input: input, weight: weight, bias: bias, geometry: geometry)
        : GEMMConvolution.forward(input: input, weight: weight, bias: bias, geometry: geometry)
    let inputs = bias.map { [input, weight, $0] } ?? [input, weight]
    return Tensor.record("conv2d", result: output, inputs: inputs) { gradient in
        let (gradInput, gradWeight) = isDepthwise
            ? DepthwiseConvolution.backward(gradient: gradient, input: input, weight: weight, geometry: geometry,
                                            needsInput: input.requiresGradient, needsWeight: weight.requiresGradient)
            : GEMMConvolution.backward(gradient: gradient, input: input, weight: weight, geometry: geometry,
                                       needsInput: input.requiresGradient, needsWeight: weight.requiresGradient)
        guard let bias else { return [gradInput, gradWeight] }
        return [gradInput, gradWeight, bias.requiresGradient ? ChannelLayout(gradient.shape).sums(of: gradient) : nil]
    }
}
