import Tensor

/// Layers applied one after another (PyTorch's `nn.Sequential`); their state names are their
/// positions: `0.weight`, `1.running_mean`, …
///
/// ```swift
/// let head = Sequential(Flatten(), Linear(512, 10, generator: &rng))
/// ```
public final class Sequential: Module {
    /// The layers, in order. Replacing one keeps the others (e.g. a new classifier for transfer
    /// learning: `classifier.layers[6] = Linear(4096, 2, generator: &rng)`).
    public var layers: [Module]

    /// The layers named by position, not as `layers.N`.
    public override class var propertyKeys: [String: String] { ["layers": ""] }

    /// The composition of `layers`, applied in order.
    public init(_ layers: [Module]) {
        self.layers = layers
    }

    /// The composition of `layers`, applied in order.
    public convenience init(_ layers: Module...) {
        self.init(layers)
    }

    /// The number of layers.
    public var count: Int { layers.count }

    /// The layer at `index`.
    public subscript(index: Int) -> Module {
        layers[index]
    }

    /// The input passed through every layer in turn.
    ///
    /// In inference (eval mode, no tape), a ``Conv2D`` followed by a ``BatchNorm2D`` and
    /// optionally a ``ReLU`` or ``ReLU6`` runs as one fused op with the same result (see
    /// ``convBatchNormActivation(_:weight:bias:stride:padding:dilation:groups:normalization:activation:)``):
    /// one activation tensor instead of three. Otherwise a ``BatchNorm`` followed by a ``ReLU``
    /// or ``ReLU6`` runs as one op, which keeps less for the backward pass (see
    /// ``batchNorm(_:runningMean:runningVariance:weight:bias:training:momentum:epsilon:activation:adding:)``).
    public override func forward(_ input: Tensor) -> Tensor {
        var x = input
        var index = 0
        while index < layers.count {
            if let (output, consumed) = fusedInference(x, at: index) ?? fusedNormalization(x, at: index) {
                x = output
                index += consumed
            } else {
                x = layers[index](x)
                index += 1
            }
        }
        return x
    }

    /// The output of the convolution, batch norm and activation starting at `index`, with the
    /// number of layers they span, when they are there and inference allows fusing them.
    private func fusedInference(_ input: Tensor, at index: Int) -> (output: Tensor, consumed: Int)? {
        guard index + 1 < layers.count, let conv = layers[index] as? Conv2D,
              let norm = layers[index + 1] as? BatchNorm2D else { return nil }
        let activation = index + 2 < layers.count ? FusedActivation(layers[index + 2]) : nil
        guard let output = norm.fusedInference(input, convolution: conv, activation: activation ?? .identity) else { return nil }
        return (output, activation == nil ? 2 : 3)
    }

    /// The output of the batch norm and activation starting at `index`, when they are there.
    private func fusedNormalization(_ input: Tensor, at index: Int) -> (output: Tensor, consumed: Int)? {
        guard index + 1 < layers.count, let norm = layers[index] as? BatchNorm,
              let activation = FusedActivation(layers[index + 1]), activation != .identity,
              let output = norm.fused(input, activation: activation) else { return nil }
        return (output, 2)
    }
}
