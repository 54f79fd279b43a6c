import Tensor

/// A fully connected layer, `y = x·Wᵀ + b` (PyTorch's `nn.Linear`), over the last axis of an
/// input `[…, inputFeatures]`.
///
/// Initialized as PyTorch does: weight Kaiming-uniform with a = √5 (uniform in ±1/√in),
/// bias uniform in ±1/√in.
public final class Linear: Module {
    /// The weight, `[outputFeatures, inputFeatures]`.
    public let weight: Parameter
    /// The bias, `[outputFeatures]`, or `nil` for a layer without one.
    public let bias: Parameter?

    /// A layer mapping `inputFeatures` to `outputFeatures`.
    /// - Parameters:
    ///   - weightInitializer: fills the weight (PyTorch's default when omitted).
    ///   - biasInitializer: fills the bias; `nil` is PyTorch's uniform in ±1/√inputFeatures.
    ///   - generator: the source of the random initial values.
    public init(_ inputFeatures: Int, _ outputFeatures: Int, bias: Bool = true,
                weightInitializer: Initializer = .layerDefault, biasInitializer: Initializer? = nil,
                generator: inout RandomGenerator) {
        precondition(inputFeatures > 0 && outputFeatures > 0,
                     "Linear: feature counts must be positive, got \(inputFeatures) → \(outputFeatures)")
        let shape = [outputFeatures, inputFeatures]
        weight = Parameter(weightInitializer.tensor(shape: shape, generator: &generator))
        self.bias = bias ? Parameter(Initializer.fanInBias(weightShape: shape, biasInitializer)
            .tensor(shape: [outputFeatures], generator: &generator)) : nil
    }

    /// The number of input features.
    public var inputFeatures: Int { weight.shape[1] }
    /// The number of output features.
    public var outputFeatures: Int { weight.shape[0] }

    /// `x·Wᵀ + b` for `x` of shape `[…, inputFeatures]`.
    public override func forward(_ input: Tensor) -> Tensor {
        precondition(input.rank >= 1 && input.shape.last == inputFeatures,
                     "Linear: input shape \(input.shape) does not end in \(inputFeatures) features (weight \(weight.shape))")
        let rows = input.rank == 2 ? input : input.reshaped(to: [-1, inputFeatures])
        var output = Tensor.matmul(rows, weight.value, transposingB: true)
        if let bias { output = output + bias.value }
        return input.rank == 2 ? output : output.reshaped(to: Array(input.shape.dropLast()) + [outputFeatures])
    }
}
