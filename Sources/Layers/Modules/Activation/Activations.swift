import Tensor

// Elementwise activations as layers, for Sequential models (in `forward` code, call the
// Tensor methods directly: `x.relu()`).

/// max(x, 0) (PyTorch's `nn.ReLU`).
public final class ReLU: Module {
    /// The activation.
    public override init() {}
    /// The activated input.
    public override func forward(_ input: Tensor) -> Tensor { input.relu() }
}

/// min(max(x, 0), 6) (PyTorch's `nn.ReLU6`; MobileNet's and EfficientNet-Lite's activation).
public final class ReLU6: Module {
    /// The activation.
    public override init() {}
    /// The activated input.
    public override func forward(_ input: Tensor) -> Tensor { input.relu6() }
}

/// x for x > 0, `negativeSlope`·x otherwise (PyTorch's `nn.LeakyReLU`).
public final class LeakyReLU: Module {
    /// The slope for negative inputs.
    public let negativeSlope: Float
    /// The activation with the given negative slope (PyTorch's default 0.01).
    public init(negativeSlope: Float = 0.01) { self.negativeSlope = negativeSlope }
    /// The activated input.
    public override func forward(_ input: Tensor) -> Tensor { input.leakyRelu(negativeSlope: negativeSlope) }
}

/// The Gaussian error linear unit, x·Φ(x) (PyTorch's `nn.GELU`).
public final class GELU: Module {
    /// The activation.
    public override init() {}
    /// The activated input.
    public override func forward(_ input: Tensor) -> Tensor { input.gelu() }
}

/// 1 / (1 + e⁻ˣ) (PyTorch's `nn.Sigmoid`).
public final class Sigmoid: Module {
    /// The activation.
    public override init() {}
    /// The activated input.
    public override func forward(_ input: Tensor) -> Tensor { input.sigmoid() }
}

/// The hyperbolic tangent (PyTorch's `nn.Tanh`).
public final class Tanh: Module {
    /// The activation.
    public override init() {}
    /// The activated input.
    public override func forward(_ input: Tensor) -> Tensor { input.tanh() }
}

extension FusedActivation {
    /// The fused form of an activation layer, or `nil` when the layer has none (only ``ReLU``
    /// and ``ReLU6`` fuse: they are what the model zoo puts after its batch norms).
    init?(_ layer: Module) {
        switch layer {
        case is ReLU: self = .relu
        case is ReLU6: self = .relu6
        default: return nil
        }
    }
}
