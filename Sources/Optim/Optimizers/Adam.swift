import Tensor

/// Hyperparameters and update of Adam and AdamW (PyTorch's `torch.optim.Adam` and
/// `torch.optim.AdamW`, which share this code path there too).
///
/// For gradient `g` of parameter `θ` at update `t`: weight decay is either coupled
/// (`g ← g + λθ`) or decoupled (`θ ← θ(1 − γλ)`); then `m ← β₁m + (1 − β₁)g`,
/// `v ← β₂v + (1 − β₂)g²`, with AMSGrad `v̂ ← max(v̂, v)` (else `v̂ = v`), and
/// `θ ← θ − γ/(1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)`: PyTorch's placement of the bias
/// corrections and of `ε` (added after the second-moment correction).
public struct AdamRule: UpdateRule {
    /// The step size `γ`.
    public var learningRate: Float
    /// The decay `β₁` of the first moment.
    public var beta1: Float
    /// The decay `β₂` of the second moment.
    public var beta2: Float
    /// The term `ε` added to the denominator.
    public var epsilon: Float
    /// The weight decay `λ`.
    public var weightDecay: Float
    /// Whether to use the maximum of past second moments (AMSGrad).
    public var amsgrad: Bool
    /// Whether weight decay shrinks the parameter directly (AdamW) instead of adding `λθ` to
    /// the gradient (Adam's L2 penalty).
    public var decoupledWeightDecay: Bool

    /// Adam settings.
    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, amsgrad: Bool = false, decoupledWeightDecay: Bool = false) {
        precondition(learningRate >= 0, "Adam: invalid learning rate \(learningRate)")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam: invalid betas (\(beta1), \(beta2))")
        precondition(epsilon >= 0, "Adam: invalid epsilon \(epsilon)")
        precondition(weightDecay >= 0, "Adam: invalid weight decay \(weightDecay)")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// `exp_avg`, `exp_avg_sq`, and `max_exp_avg_sq` with AMSGrad.
    public var stateNames: [String] { ["exp_avg", "exp_avg_sq"] + (amsgrad ? ["max_exp_avg_sq"] : []) }

    /// One fused pass of the Adam update over `range`.
    public func update(_ buffers: UpdateBuffers, range: Range<Int>, step: Int) {
        let stepSize = Float(Double(learningRate) / UpdateMath.biasCorrection(beta1, step: step))
        let correction2 = Float(UpdateMath.biasCorrection(beta2, step: step).squareRoot())
        let coupledDecay = decoupledWeightDecay ? 0 : weightDecay
        let shrink = decoupledWeightDecay ? Float(1 - Double(learningRate) * Double(weightDecay)) : 1
        let (beta2, oneMinusBeta1, oneMinusBeta2, amsgrad, epsilon) = (beta2, 1 - beta1, 1 - beta2, amsgrad, epsilon)
        @inline(__always) func lanes(_ v: inout UpdateMath.Lanes) {
            let p = v.parameter * shrink
            let g = coupledDecay == 0 ? v.gradient : v.gradient + coupledDecay * p
            let first = UpdateMath.lerp(v.state0, g, oneMinusBeta1)
            let second = v.state1 * beta2 + oneMinusBeta2 * g * g
            v.state0 = first
            v.state1 = second
            var moment = second
            if amsgrad {
                moment = v.state2.replacing(with: second, where: second .> v.state2)
                v.state2 = moment
            }
            v.parameter = p - stepSize * (first / (UpdateMath.squareRoot(moment) / correction2 + epsilon))
        }
        UpdateMath.vectorized(buffers, range: range, lanes)
    }
}

/// Adam with an optional L2 penalty and AMSGrad (PyTorch's `torch.optim.Adam`; see
/// ``AdamRule`` for the update).
public final class Adam: ParameterOptimizer<AdamRule> {
    /// Adam over `parameters` (one group) and `groups` (each may override the learning rate
    /// and the weight decay). Defaults are PyTorch's.
    public init(parameters: [Parameter] = [], groups: [ParameterGroup] = [], learningRate: Float = 1e-3,
                betas: (Float, Float) = (0.9, 0.999), epsilon: Float = 1e-8, weightDecay: Float = 0,
                amsgrad: Bool = false) {
        super.init(parameters: parameters, groups: groups,
                   defaults: AdamRule(learningRate: learningRate, beta1: betas.0, beta2: betas.1, epsilon: epsilon,
                                      weightDecay: weightDecay, amsgrad: amsgrad))
    }
}

/// Adam with decoupled weight decay (PyTorch's `torch.optim.AdamW`; see ``AdamRule``): the
/// decay shrinks the parameters instead of entering the moments.
public final class AdamW: ParameterOptimizer<AdamRule> {
    /// AdamW over `parameters` (one group) and `groups` (each may override the learning rate
    /// and the weight decay). Defaults are PyTorch's (note the weight decay of 0.01).
    public init(parameters: [Parameter] = [], groups: [ParameterGroup] = [], learningRate: Float = 1e-3,
                betas: (Float, Float) = (0.9, 0.999), epsilon: Float = 1e-8, weightDecay: Float = 1e-2,
                amsgrad: Bool = false) {
        super.init(parameters: parameters, groups: groups,
                   defaults: AdamRule(learningRate: learningRate, beta1: betas.0, beta2: betas.1, epsilon: epsilon,
                                      weightDecay: weightDecay, amsgrad: amsgrad, decoupledWeightDecay: true))
    }
}
