import Tensor

/// How to fill a new weight (PyTorch's `torch.nn.init`), drawn from an explicit generator so
/// that the same seed always builds the same model.
///
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let w = Initializer.kaimingNormal(mode: .fanOut, nonlinearity: .relu)
///     .tensor(shape: [64, 3, 7, 7], generator: &rng)
/// ```
public enum Initializer: Sendable, Equatable {
    /// Every scalar equal to the value.
    case constant(Float)
    /// Uniform in [`low`, `high`).
    case uniform(low: Float, high: Float)
    /// Normal with the given mean and standard deviation.
    case normal(mean: Float = 0, standardDeviation: Float)
    /// Normal truncated to two standard deviations around the mean.
    case truncatedNormal(mean: Float = 0, standardDeviation: Float)
    /// He et al. (2015), uniform in ±gain·√(3 / fan) — PyTorch's `kaiming_uniform_` (whose
    /// default nonlinearity is leaky ReLU with slope 0, i.e. gain √2).
    case kaimingUniform(mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu(negativeSlope: 0))
    /// He et al. (2015), normal with standard deviation gain / √fan — `kaiming_normal_`.
    case kaimingNormal(mode: FanMode = .fanIn, nonlinearity: Nonlinearity = .leakyRelu(negativeSlope: 0))
    /// Glorot & Bengio (2010), uniform in ±gain·√(6 / (fanIn + fanOut)) — `xavier_uniform_`.
    case xavierUniform(gain: Float = 1)
    /// Glorot & Bengio (2010), normal with standard deviation gain·√(2 / (fanIn + fanOut)).
    case xavierNormal(gain: Float = 1)
    /// Saxe et al. (2013): the rows (or columns, whichever are fewer) of the weight flattened
    /// to `[shape[0], rest]` are orthonormal, times `gain` — `orthogonal_`.
    case orthogonal(gain: Float = 1)

    /// All zeros (biases, batch-norm shift).
    public static let zeros = Initializer.constant(0)
    /// All ones (batch-norm scale).
    public static let ones = Initializer.constant(1)
    /// The weight initializer of PyTorch's `Linear` and `Conv2d`: Kaiming uniform with a = √5,
    /// which works out to uniform in ±1/√fanIn.
    public static let layerDefault = Initializer.kaimingUniform(nonlinearity: .leakyRelu(negativeSlope: (5 as Float).squareRoot()))

    /// A tensor of `shape` filled by this rule.
    public func tensor(shape: [Int], generator: inout RandomGenerator) -> Tensor {
        switch self {
        case .constant(let value):
            return Tensor(shape: shape, repeating: value)
        case let .uniform(low, high):
            return Tensor.uniform(shape, low: low, high: high, generator: &generator)
        case let .normal(mean, standardDeviation):
            return Tensor.normal(shape, mean: mean, standardDeviation: standardDeviation, generator: &generator)
        case let .truncatedNormal(mean, standardDeviation):
            return Tensor.truncatedNormal(shape, mean: mean, standardDeviation: standardDeviation, generator: &generator)
        case let .kaimingUniform(mode, nonlinearity):
            let bound = Float(3).squareRoot() * Self.kaimingStandardDeviation(shape: shape, mode: mode, nonlinearity: nonlinearity)
            return Tensor.uniform(shape, low: -bound, high: bound, generator: &generator)
        case let .kaimingNormal(mode, nonlinearity):
            let std = Self.kaimingStandardDeviation(shape: shape, mode: mode, nonlinearity: nonlinearity)
            return Tensor.normal(shape, standardDeviation: std, generator: &generator)
        case .xavierUniform(let gain):
            let bound = Float(3).squareRoot() * Self.xavierStandardDeviation(shape: shape, gain: gain)
            return Tensor.uniform(shape, low: -bound, high: bound, generator: &generator)
        case .xavierNormal(let gain):
            return Tensor.normal(shape, standardDeviation: Self.xavierStandardDeviation(shape: shape, gain: gain),
                                 generator: &generator)
        case .orthogonal(let gain):
            return Self.orthogonalTensor(shape: shape, gain: gain, generator: &generator)
        }
    }

    /// gain / √fan.
    static func kaimingStandardDeviation(shape: [Int], mode: FanMode, nonlinearity: Nonlinearity) -> Float {
        let (fanIn, fanOut) = fans(of: shape)
        let fan = mode == .fanIn ? fanIn : fanOut
        precondition(fan > 0, "Initializer.kaiming: zero fan for shape \(shape)")
        return nonlinearity.gain / Float(fan).squareRoot()
    }

    /// gain · √(2 / (fanIn + fanOut)).
    static func xavierStandardDeviation(shape: [Int], gain: Float) -> Float {
        let (fanIn, fanOut) = fans(of: shape)
        precondition(fanIn + fanOut > 0, "Initializer.xavier: zero fans for shape \(shape)")
        return gain * (2 / Float(fanIn + fanOut)).squareRoot()
    }
}
