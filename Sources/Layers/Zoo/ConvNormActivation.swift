import Tensor

/// The weight initializer torchvision applies to the convolutions of its classification
/// models: Kaiming normal, fan-out, ReLU gain.
let zooConvolutionInitializer = Initializer.kaimingNormal(mode: .fanOut, nonlinearity: .relu)

extension Sequential {
    /// Convolution, batch norm, activation: torchvision's `Conv2dNormActivation`, whose parts
    /// are named `0`, `1`, `2`.
    ///
    /// Without batch norm (weights with batch norm folded into the convolution, as TF-Lite
    /// exports them) the convolution gets a bias and the activation becomes part `1`.
    static func convNormActivation(
        _ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, stride: Int = 1, groups: Int = 1,
        padding: PaddingConvention, batchNorm: Bool = true, batchNormEpsilon: Float = 1e-5,
        batchNormMomentum: Float = 0.1, activation: Module?, generator: inout RandomGenerator
    ) -> Sequential {
        var layers: [Module] = [
            Conv2D(inputChannels, outputChannels, kernelSize: kernelSize, stride: stride,
                   padding: padding.padding(kernelSize: kernelSize), groups: groups, bias: !batchNorm,
                   weightInitializer: zooConvolutionInitializer, biasInitializer: .zeros, generator: &generator),
        ]
        if batchNorm {
            layers.append(BatchNorm2D(outputChannels, momentum: batchNormMomentum, epsilon: batchNormEpsilon))
        }
        if let activation { layers.append(activation) }
        return Sequential(layers)
    }
}
