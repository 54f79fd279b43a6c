import Tensor

/// A 2-D convolution over NCHW inputs with an OIHW weight (PyTorch's `nn.Conv2d`), with
/// stride, zero padding (explicit or TensorFlow SAME), dilation and groups.
///
/// Initialized as PyTorch does: weight Kaiming-uniform with a = √5 (uniform in ±1/√fanIn,
/// fanIn = inputChannels/groups · kernel area), bias uniform in ±1/√fanIn.
public final class Conv2D: Module {
    /// The weight, `[outputChannels, inputChannels / groups, kernelHeight, kernelWidth]`.
    public let weight: Parameter
    /// The bias, `[outputChannels]`, or `nil`.
    public let bias: Parameter?
    /// The step between output positions, (vertical, horizontal).
    public let stride: (Int, Int)
    /// The zero padding of the input.
    public let padding: Padding2D
    /// The spacing of kernel taps, (vertical, horizontal).
    public let dilation: (Int, Int)
    /// The number of channel groups (`inputChannels` for a depthwise convolution).
    public let groups: Int

    /// A convolution from `inputChannels` to `outputChannels` with a `kernelSize` kernel.
    /// - Parameters:
    ///   - padding: `.valid` (none, the default), `.symmetric(p)`, `.explicit(…)` or `.same`.
    ///   - groups: must divide both channel counts.
    ///   - weightInitializer: fills the weight (PyTorch's default when omitted).
    ///   - biasInitializer: fills the bias; `nil` is PyTorch's uniform in ±1/√fanIn.
    ///   - generator: the source of the random initial values.
    public init(_ inputChannels: Int, _ outputChannels: Int, kernelSize: (Int, Int),
                stride: (Int, Int) = (1, 1), padding: Padding2D = .valid, dilation: (Int, Int) = (1, 1),
                groups: Int = 1, bias: Bool = true,
                weightInitializer: Initializer = .layerDefault, biasInitializer: Initializer? = nil,
                generator: inout RandomGenerator) {
        precondition(groups > 0 && inputChannels % groups == 0 && outputChannels % groups == 0,
                     "Conv2D: groups \(groups) must divide input channels \(inputChannels) and output channels \(outputChannels)")
        precondition(kernelSize.0 > 0 && kernelSize.1 > 0 && stride.0 > 0 && stride.1 > 0 && dilation.0 > 0 && dilation.1 > 0,
                     "Conv2D: kernel \(kernelSize), stride \(stride) and dilation \(dilation) must be positive")
        let shape = [outputChannels, inputChannels / groups, kernelSize.0, kernelSize.1]
        weight = Parameter(weightInitializer.tensor(shape: shape, generator: &generator))
        self.bias = bias ? Parameter(Initializer.fanInBias(weightShape: shape, biasInitializer)
            .tensor(shape: [outputChannels], generator: &generator)) : nil
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    /// A convolution with a square `kernelSize` kernel and equal strides and dilations.
    public convenience init(_ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, stride: Int = 1,
                            padding: Padding2D = .valid, dilation: Int = 1, groups: Int = 1, bias: Bool = true,
                            weightInitializer: Initializer = .layerDefault, biasInitializer: Initializer? = nil,
                            generator: inout RandomGenerator) {
        self.init(inputChannels, outputChannels, kernelSize: (kernelSize, kernelSize), stride: (stride, stride),
                  padding: padding, dilation: (dilation, dilation), groups: groups, bias: bias,
                  weightInitializer: weightInitializer, biasInitializer: biasInitializer, generator: &generator)
    }

    /// The number of input channels.
    public var inputChannels: Int { weight.shape[1] * groups }
    /// The number of output channels.
    public var outputChannels: Int { weight.shape[0] }
    /// The kernel's (height, width).
    public var kernelSize: (Int, Int) { (weight.shape[2], weight.shape[3]) }

    /// The convolution of an `[N, inputChannels, H, W]` input.
    public override func forward(_ input: Tensor) -> Tensor {
        conv2d(input, weight: weight.value, bias: bias?.value, stride: stride, padding: padding,
               dilation: dilation, groups: groups)
    }
}
