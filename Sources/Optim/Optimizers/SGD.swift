import Tensor

/// Hyperparameters and update of stochastic gradient descent (PyTorch's `torch.optim.SGD`).
///
/// For gradient `g` of parameter `θ` at update `t`:
/// `g ← g + λθ` (weight decay); with momentum `μ`: `b ← g` at `t = 1`, else
/// `b ← μb + (1 − τ)g` (dampening `τ`), then `g ← g + μb` (Nesterov) or `g ← b`;
/// finally `θ ← θ − γg`.
public struct SGDRule: UpdateRule {
    /// The step size `γ`.
    public var learningRate: Float
    /// The momentum factor `μ` (0 disables the momentum buffer).
    public var momentum: Float
    /// The dampening `τ` of the momentum.
    public var dampening: Float
    /// The L2 penalty `λ`, added to the gradient.
    public var weightDecay: Float
    /// Whether to use Nesterov momentum.
    public var nesterov: Bool

    /// SGD settings; Nesterov momentum needs a positive momentum and no dampening.
    public init(learningRate: Float = 1e-3, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) {
        precondition(learningRate >= 0, "SGD: invalid learning rate \(learningRate)")
        precondition(momentum >= 0, "SGD: invalid momentum \(momentum)")
        precondition(weightDecay >= 0, "SGD: invalid weight decay \(weightDecay)")
        precondition(!nesterov || (momentum > 0 && dampening == 0), "SGD: Nesterov momentum requires a momentum and zero dampening")
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    /// `momentum_buffer` when momentum is on, nothing otherwise.
    public var stateNames: [String] { momentum != 0 ? ["momentum_buffer"] : [] }

    /// One fused pass of the SGD update over `range`.
    public func update(_ buffers: UpdateBuffers, range: Range<Int>, step: Int) {
        let (rate, decay, mu, keep) = (learningRate, weightDecay, momentum, 1 - dampening)
        let (first, nesterov) = (step == 1, nesterov)
        @inline(__always) func lanes(_ v: inout UpdateMath.Lanes) {
            let g = decay == 0 ? v.gradient : v.gradient + decay * v.parameter
            guard mu != 0 else {
                v.parameter -= rate * g
                return
            }
            let b = first ? g : mu * v.state0 + keep * g
            v.state0 = b
            v.parameter -= rate * (nesterov ? g + mu * b : b)
        }
        UpdateMath.vectorized(buffers, range: range, lanes)
    }
}

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and
/// weight decay (PyTorch's `torch.optim.SGD`; see ``SGDRule`` for the update).
public final class SGD: ParameterOptimizer<SGDRule> {
    /// SGD over `parameters` (one group) and `groups` (each may override the learning rate
    /// and the weight decay). Defaults are PyTorch's.
    public init(parameters: [Parameter] = [], groups: [ParameterGroup] = [], learningRate: Float = 1e-3,
                momentum: Float = 0, dampening: Float = 0, weightDecay: Float = 0, nesterov: Bool = false) {
        super.init(parameters: parameters, groups: groups,
                   defaults: SGDRule(learningRate: learningRate, momentum: momentum, dampening: dampening,
                                     weightDecay: weightDecay, nesterov: nesterov))
    }
}
