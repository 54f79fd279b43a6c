/// The activation that follows a layer, which sets the gain of variance-preserving
/// initializers (PyTorch's `nn.init.calculate_gain`).
public enum Nonlinearity: Sendable, Equatable {
    /// No activation (also convolutions and sigmoid in PyTorch's table): gain 1.
    case linear
    /// Logistic sigmoid: gain 1.
    case sigmoid
    /// Hyperbolic tangent: gain 5/3.
    case tanh
    /// ReLU: gain √2.
    case relu
    /// Leaky ReLU with the given negative slope: gain √(2 / (1 + slope²)).
    case leakyRelu(negativeSlope: Float)
    /// SELU: gain 3/4.
    case selu

    /// The recommended gain, by which the unit-variance standard deviation is multiplied.
    public var gain: Float {
        switch self {
        case .linear, .sigmoid: 1
        case .tanh: 5.0 / 3.0
        case .relu: (2 as Float).squareRoot()
        case .leakyRelu(let slope): (2 / (1 + slope * slope)).squareRoot()
        case .selu: 0.75
        }
    }
}
