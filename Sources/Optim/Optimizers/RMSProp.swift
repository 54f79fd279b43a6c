import Tensor

/// Hyperparameters and update of RMSProp (PyTorch's `torch.optim.RMSprop`).
///
/// For gradient `g` of parameter `θ`: `g ← g + λθ`; `v ← αv + (1 − α)g²`; centered:
/// `ḡ ← αḡ + (1 − α)g` and `ṽ = v − ḡ²`, else `ṽ = v`; with momentum `μ`:
/// `b ← μb + g/(√ṽ + ε)` and `θ ← θ − γb`, else `θ ← θ − γg/(√ṽ + ε)`.
public struct RMSPropRule: UpdateRule {
    /// The step size `γ`.
    public var learningRate: Float
    /// The smoothing constant `α` of the running averages.
    public var alpha: Float
    /// The term `ε` added to the denominator.
    public var epsilon: Float
    /// The L2 penalty `λ`, added to the gradient.
    public var weightDecay: Float
    /// The momentum factor `μ` (0 disables the momentum buffer).
    public var momentum: Float
    /// Whether to normalize by the estimated variance instead of the raw second moment.
    public var centered: Bool

    /// RMSProp settings.
    public init(learningRate: Float = 1e-2, alpha: Float = 0.99, epsilon: Float = 1e-8,
                weightDecay: Float = 0, momentum: Float = 0, centered: Bool = false) {
        precondition(learningRate >= 0, "RMSProp: invalid learning rate \(learningRate)")
        precondition(alpha >= 0, "RMSProp: invalid alpha \(alpha)")
        precondition(epsilon >= 0, "RMSProp: invalid epsilon \(epsilon)")
        precondition(weightDecay >= 0, "RMSProp: invalid weight decay \(weightDecay)")
        precondition(momentum >= 0, "RMSProp: invalid momentum \(momentum)")
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
    }

    /// `square_avg`, then `momentum_buffer` with momentum, then `grad_avg` when centered
    /// (PyTorch's order).
    public var stateNames: [String] {
        ["square_avg"] + (momentum > 0 ? ["momentum_buffer"] : []) + (centered ? ["grad_avg"] : [])
    }

    /// One fused pass of the RMSProp update over `range`.
    public func update(_ buffers: UpdateBuffers, range: Range<Int>, step: Int) {
        let (rate, decay, alpha, oneMinusAlpha, epsilon, mu, centered) =
            (learningRate, weightDecay, alpha, 1 - alpha, epsilon, momentum, centered)
        let useMomentum = mu > 0
        // State order: square_avg, momentum_buffer (if momentum), grad_avg (if centered).
        @inline(__always) func lanes(_ v: inout UpdateMath.Lanes) {
            let g = decay == 0 ? v.gradient : v.gradient + decay * v.parameter
            let square = v.state0 * alpha + oneMinusAlpha * g * g
            v.state0 = square
            var variance = square
            if centered {
                let mean = UpdateMath.lerp(useMomentum ? v.state2 : v.state1, g, oneMinusAlpha)
                if useMomentum { v.state2 = mean } else { v.state1 = mean }
                variance = square - mean * mean
            }
            let denominator = UpdateMath.squareRoot(variance) + epsilon
            if useMomentum {
                let b = v.state1 * mu + g / denominator
                v.state1 = b
                v.parameter -= rate * b
            } else {
                v.parameter -= rate * (g / denominator)
            }
        }
        UpdateMath.vectorized(buffers, range: range, lanes)
    }
}

/// RMSProp with optional momentum, centering and weight decay (PyTorch's
/// `torch.optim.RMSprop`; see ``RMSPropRule`` for the update).
public final class RMSProp: ParameterOptimizer<RMSPropRule> {
    /// RMSProp over `parameters` (one group) and `groups` (each may override the learning
    /// rate and the weight decay). Defaults are PyTorch's.
    public init(parameters: [Parameter] = [], groups: [ParameterGroup] = [], learningRate: Float = 1e-2,
                alpha: Float = 0.99, epsilon: Float = 1e-8, weightDecay: Float = 0, momentum: Float = 0,
                centered: Bool = false) {
        super.init(parameters: parameters, groups: groups,
                   defaults: RMSPropRule(learningRate: learningRate, alpha: alpha, epsilon: epsilon,
                                         weightDecay: weightDecay, momentum: momentum, centered: centered))
    }
}
