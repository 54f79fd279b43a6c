import Tensor

/// Hyperparameters and update of Adagrad (PyTorch's `torch.optim.Adagrad`).
///
/// For gradient `g` of parameter `θ` at update `t`: `γ̃ = γ/(1 + (t − 1)η)` (learning-rate
/// decay `η`); `g ← g + λθ`; `s ← s + g²` (starting from the initial accumulator value);
/// `θ ← θ − γ̃ g/(√s + ε)`.
public struct AdagradRule: UpdateRule {
    /// The step size `γ`.
    public var learningRate: Float
    /// The learning-rate decay `η`.
    public var learningRateDecay: Float
    /// The L2 penalty `λ`, added to the gradient.
    public var weightDecay: Float
    /// The value the sum of squared gradients starts from.
    public var initialAccumulatorValue: Float
    /// The term `ε` added to the denominator.
    public var epsilon: Float

    /// Adagrad settings.
    public init(learningRate: Float = 1e-2, learningRateDecay: Float = 0, weightDecay: Float = 0,
                initialAccumulatorValue: Float = 0, epsilon: Float = 1e-10) {
        precondition(learningRate >= 0, "Adagrad: invalid learning rate \(learningRate)")
        precondition(learningRateDecay >= 0, "Adagrad: invalid learning rate decay \(learningRateDecay)")
        precondition(weightDecay >= 0, "Adagrad: invalid weight decay \(weightDecay)")
        precondition(initialAccumulatorValue >= 0, "Adagrad: invalid initial accumulator value \(initialAccumulatorValue)")
        precondition(epsilon >= 0, "Adagrad: invalid epsilon \(epsilon)")
        self.learningRate = learningRate
        self.learningRateDecay = learningRateDecay
        self.weightDecay = weightDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        self.epsilon = epsilon
    }

    /// `sum`, the running sum of squared gradients.
    public var stateNames: [String] { ["sum"] }

    /// The sum starts at the initial accumulator value.
    public func initialStateValue(at index: Int) -> Float { initialAccumulatorValue }

    /// One fused pass of the Adagrad update over `range`.
    public func update(_ buffers: UpdateBuffers, range: Range<Int>, step: Int) {
        let rate = Float(Double(learningRate) / (1 + Double(step - 1) * Double(learningRateDecay)))
        let (decay, epsilon) = (weightDecay, epsilon)
        @inline(__always) func lanes(_ v: inout UpdateMath.Lanes) {
            let g = decay == 0 ? v.gradient : v.gradient + decay * v.parameter
            let sum = v.state0 + g * g
            v.state0 = sum
            v.parameter -= rate * (g / (UpdateMath.squareRoot(sum) + epsilon))
        }
        UpdateMath.vectorized(buffers, range: range, lanes)
    }
}

/// Adagrad with learning-rate decay and weight decay (PyTorch's `torch.optim.Adagrad`; see
/// ``AdagradRule`` for the update).
public final class Adagrad: ParameterOptimizer<AdagradRule> {
    /// Adagrad over `parameters` (one group) and `groups` (each may override the learning
    /// rate and the weight decay). Defaults are PyTorch's.
    public init(parameters: [Parameter] = [], groups: [ParameterGroup] = [], learningRate: Float = 1e-2,
                learningRateDecay: Float = 0, weightDecay: Float = 0, initialAccumulatorValue: Float = 0,
                epsilon: Float = 1e-10) {
        super.init(parameters: parameters, groups: groups,
                   defaults: AdagradRule(learningRate: learningRate, learningRateDecay: learningRateDecay,
                                         weightDecay: weightDecay, initialAccumulatorValue: initialAccumulatorValue,
                                         epsilon: epsilon))
    }
}
