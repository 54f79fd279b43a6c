import Tensor

/// How a convolution is computed, chosen from its shape alone so that the forward and backward
/// passes of one call always agree.
///
/// - `depthwise`: one input channel per group; a direct loop (a GEMM per channel would be a
///   matrix–vector product).
/// - `winograd`: 3×3, stride 1, one group, enough channels: F(2×2, 3×3), 2.25× fewer
///   multiply–adds (``WinogradConvolution``).
/// - `gemm`: everything else, im2col + GEMM (``GEMMConvolution``).
enum ConvolutionAlgorithm {
    case depthwise, winograd, gemm

    init(_ geo: ConvolutionGeometry) {
        if geo.groups > 1 && geo.inChannelsPerGroup == 1 {
            self = .depthwise
        } else if WinogradConvolution.isApplicable(geo) {
            self = .winograd
        } else {
            self = .gemm
        }
    }

    func forward(input: Tensor, weight: Tensor, bias: Tensor?, geometry: ConvolutionGeometry) -> Tensor {
        switch self {
        case .depthwise: DepthwiseConvolution.forward(input: input, weight: weight, bias: bias, geometry: geometry)
        case .winograd: WinogradConvolution.forward(input: input, weight: weight, bias: bias, geometry: geometry)
        case .gemm: GEMMConvolution.forward(input: input, weight: weight, bias: bias, geometry: geometry)
        }
    }

    func backward(gradient: Tensor, input: Tensor, weight: Tensor, geometry: ConvolutionGeometry,
                  needsInput: Bool, needsWeight: Bool) -> (Tensor?, Tensor?) {
        switch self {
        case .depthwise:
            DepthwiseConvolution.backward(gradient: gradient, input: input, weight: weight, geometry: geometry,
                                          needsInput: needsInput, needsWeight: needsWeight)
        case .winograd:
            WinogradConvolution.backward(gradient: gradient, input: input, weight: weight, geometry: geometry,
                                         needsInput: needsInput, needsWeight: needsWeight)
        case .gemm:
            GEMMConvolution.backward(gradient: gradient, input: input, weight: weight, geometry: geometry,
                                     needsInput: needsInput, needsWeight: needsWeight)
        }
    }
}
