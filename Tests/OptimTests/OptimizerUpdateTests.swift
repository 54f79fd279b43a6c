import Foundation
import Optim
import Tensor
import Testing

// The first three updates of every optimizer against PyTorch's documented update rules
// (the pseudo-code of the torch.optim docs), evaluated here in Double, element by element.

@Suite("Optimizer updates match PyTorch's documented rules")
struct OptimizerUpdateTests {
    typealias Fixture = UpdateFixture

    /// torch.optim.SGD: g ← g + λθ; b ← g (t = 1) or μb + (1 − τ)g; g ← g + μb (Nesterov) or b;
    /// θ ← θ − γg.
    static func sgdReference(lr: Double, momentum: Double = 0, dampening: Double = 0,
                             weightDecay: Double = 0, nesterov: Bool = false) -> [[Double]] {
        var theta = Fixture.initial
        var buffer = [Double](repeating: 0, count: theta.count)
        var result: [[Double]] = []
        for (t, gradients) in zip(1..., Fixture.gradients) {
            for i in theta.indices {
                var g = gradients[i]
                if weightDecay != 0 { g = g + weightDecay * theta[i] }
                if momentum != 0 {
                    buffer[i] = t > 1 ? momentum * buffer[i] + (1 - dampening) * g : g
                    g = nesterov ? g + momentum * buffer[i] : buffer[i]
                }
                theta[i] = theta[i] - lr * g
            }
            result.append(theta)
        }
        return result
    }

    /// torch.optim.Adam / AdamW: decay (coupled g ← g + λθ, or decoupled θ ← θ − γλθ);
    /// m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; m̂ = m/(1 − β₁ᵗ);
    /// v̂ = v/(1 − β₂ᵗ), or with AMSGrad vmax ← max(vmax, v), v̂ = vmax/(1 − β₂ᵗ);
    /// θ ← θ − γ m̂/(√v̂ + ε).
    static func adamReference(lr: Double, beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8,
                              weightDecay: Double = 0, decoupled: Bool = false, amsgrad: Bool = false) -> [[Double]] {
        var theta = Fixture.initial
        var m = [Double](repeating: 0, count: theta.count)
        var v = m, vMax = m
        var result: [[Double]] = []
        for (t, gradients) in zip(1..., Fixture.gradients) {
            for i in theta.indices {
                var g = gradients[i]
                if decoupled {
                    theta[i] = theta[i] - lr * weightDecay * theta[i]
                } else if weightDecay != 0 {
                    g = g + weightDecay * theta[i]
                }
                m[i] = beta1 * m[i] + (1 - beta1) * g
                v[i] = beta2 * v[i] + (1 - beta2) * g * g
                let mHat = m[i] / (1 - pow(beta1, Double(t)))
                let vHat: Double
                if amsgrad {
                    vMax[i] = max(vMax[i], v[i])
                    vHat = vMax[i] / (1 - pow(beta2, Double(t)))
                } else {
                    vHat = v[i] / (1 - pow(beta2, Double(t)))
                }
                theta[i] = theta[i] - lr * mHat / (vHat.squareRoot() + eps)
            }
            result.append(theta)
        }
        return result
    }

    /// torch.optim.RMSprop: g ← g + λθ; v ← αv + (1 − α)g²; centered: ḡ ← αḡ + (1 − α)g,
    /// ṽ = v − ḡ², else ṽ = v; momentum: b ← μb + g/(√ṽ + ε), θ ← θ − γb; else
    /// θ ← θ − γg/(√ṽ + ε).
    static func rmsPropReference(lr: Double, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
                                 momentum: Double = 0, centered: Bool = false) -> [[Double]] {
        var theta = Fixture.initial
        var v = [Double](repeating: 0, count: theta.count)
        var gAverage = v, buffer = v
        var result: [[Double]] = []
        for gradients in Fixture.gradients {
            for i in theta.indices {
                var g = gradients[i]
                if weightDecay != 0 { g = g + weightDecay * theta[i] }
                v[i] = alpha * v[i] + (1 - alpha) * g * g
                var vTilde = v[i]
                if centered {
                    gAverage[i] = alpha * gAverage[i] + (1 - alpha) * g
                    vTilde = vTilde - gAverage[i] * gAverage[i]
                }
                if momentum > 0 {
                    buffer[i] = momentum * buffer[i] + g / (vTilde.squareRoot() + eps)
                    theta[i] = theta[i] - lr * buffer[i]
                } else {
                    theta[i] = theta[i] - lr * g / (vTilde.squareRoot() + eps)
                }
            }
            result.append(theta)
        }
        return result
    }

    /// torch.optim.Adagrad: γ̃ = γ/(1 + (t − 1)η); g ← g + λθ; s ← s + g² (s₀ = initial
    /// accumulator value); θ ← θ − γ̃ g/(√s + ε).
    static func adagradReference(lr: Double, lrDecay: Double = 0, weightDecay: Double = 0,
                                 initialAccumulator: Double = 0, eps: Double = 1e-10) -> [[Double]] {
        var theta = Fixture.initial
        var sum = [Double](repeating: initialAccumulator, count: theta.count)
        var result: [[Double]] = []
        for (t, gradients) in zip(1..., Fixture.gradients) {
            let decayedRate = lr / (1 + Double(t - 1) * lrDecay)
            for i in theta.indices {
                var g = gradients[i]
                if weightDecay != 0 { g = g + weightDecay * theta[i] }
                sum[i] = sum[i] + g * g
                theta[i] = theta[i] - decayedRate * g / (sum[i].squareRoot() + eps)
            }
            result.append(theta)
        }
        return result
    }

    func check(_ name: String, _ expected: [[Double]], _ makeOptimizer: ([Parameter]) -> any Optimizer) {
        let actual = Fixture.trajectory(makeOptimizer)
        for step in 0..<3 { expectClose(actual[step], expected[step], "\(name), update \(step + 1)") }
    }

    @Test func sgdPlain() {
        // Written out once in full: θ₁ = θ₀ − 0.1 g₁ = [0.5 − 0.01, −1.5 + 0.02, 2 − 0.08, 0.25 − 0.1].
        expectClose(Fixture.trajectory { SGD(parameters: $0, learningRate: 0.1) }[0], [0.49, -1.48, 1.92, 0.15], "SGD literal")
        check("SGD", Self.sgdReference(lr: 0.1)) { SGD(parameters: $0, learningRate: 0.1) }
    }

    @Test func sgdMomentum() {
        check("SGD momentum", Self.sgdReference(lr: 0.1, momentum: 0.9)) {
            SGD(parameters: $0, learningRate: 0.1, momentum: 0.9)
        }
    }

    @Test func sgdDampening() {
        check("SGD dampening", Self.sgdReference(lr: 0.1, momentum: 0.9, dampening: 0.3)) {
            SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, dampening: 0.3)
        }
    }

    @Test func sgdNesterov() {
        check("SGD Nesterov", Self.sgdReference(lr: 0.1, momentum: 0.9, nesterov: true)) {
            SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, nesterov: true)
        }
    }

    @Test func sgdWeightDecay() {
        check("SGD weight decay", Self.sgdReference(lr: 0.1, weightDecay: 0.2)) {
            SGD(parameters: $0, learningRate: 0.1, weightDecay: 0.2)
        }
        check("SGD weight decay + Nesterov", Self.sgdReference(lr: 0.1, momentum: 0.8, weightDecay: 0.2, nesterov: true)) {
            SGD(parameters: $0, learningRate: 0.1, momentum: 0.8, weightDecay: 0.2, nesterov: true)
        }
    }

    @Test func adam() {
        check("Adam", Self.adamReference(lr: 0.01)) { Adam(parameters: $0, learningRate: 0.01) }
    }

    @Test func adamEpsilonPlacementAndL2() {
        // A large ε exposes where it sits: after the second-moment bias correction.
        check("Adam ε = 0.1, λ = 0.1", Self.adamReference(lr: 0.05, beta1: 0.8, beta2: 0.9, eps: 0.1, weightDecay: 0.1)) {
            Adam(parameters: $0, learningRate: 0.05, betas: (0.8, 0.9), epsilon: 0.1, weightDecay: 0.1)
        }
    }

    @Test func adamAMSGrad() {
        // β₂ = 0.5 lets v fall quickly (element 3's gradient shrinks), so the maximum matters.
        let expected = Self.adamReference(lr: 0.05, beta2: 0.5, amsgrad: true)
        #expect(expected[2][3] != Self.adamReference(lr: 0.05, beta2: 0.5)[2][3], "the fixture must exercise AMSGrad")
        check("Adam AMSGrad", expected) { Adam(parameters: $0, learningRate: 0.05, betas: (0.9, 0.5), amsgrad: true) }
    }

    @Test func adamW() {
        check("AdamW", Self.adamReference(lr: 0.01, weightDecay: 0.1, decoupled: true)) {
            AdamW(parameters: $0, learningRate: 0.01, weightDecay: 0.1)
        }
        check("AdamW AMSGrad", Self.adamReference(lr: 0.05, beta2: 0.5, weightDecay: 0.3, decoupled: true, amsgrad: true)) {
            AdamW(parameters: $0, learningRate: 0.05, betas: (0.9, 0.5), weightDecay: 0.3, amsgrad: true)
        }
    }

    @Test func rmsPropPlain() {
        check("RMSProp", Self.rmsPropReference(lr: 0.01)) { RMSProp(parameters: $0, learningRate: 0.01) }
    }

    @Test func rmsPropCentered() {
        check("RMSProp centered", Self.rmsPropReference(lr: 0.01, alpha: 0.9, centered: true)) {
            RMSProp(parameters: $0, learningRate: 0.01, alpha: 0.9, centered: true)
        }
    }

    @Test func rmsPropMomentum() {
        check("RMSProp momentum", Self.rmsPropReference(lr: 0.01, momentum: 0.9)) {
            RMSProp(parameters: $0, learningRate: 0.01, momentum: 0.9)
        }
        check("RMSProp centered momentum λ", Self.rmsPropReference(lr: 0.01, alpha: 0.9, weightDecay: 0.1, momentum: 0.5, centered: true)) {
            RMSProp(parameters: $0, learningRate: 0.01, alpha: 0.9, weightDecay: 0.1, momentum: 0.5, centered: true)
        }
    }

    @Test func adagrad() {
        check("Adagrad", Self.adagradReference(lr: 0.1)) { Adagrad(parameters: $0, learningRate: 0.1) }
        check("Adagrad decay", Self.adagradReference(lr: 0.1, lrDecay: 0.5, weightDecay: 0.1, initialAccumulator: 0.2)) {
            Adagrad(parameters: $0, learningRate: 0.1, learningRateDecay: 0.5, weightDecay: 0.1, initialAccumulatorValue: 0.2)
        }
    }

    /// A parameter large enough to be split across cores must get the same elementwise update.
    @Test func largeParameterSplitAcrossCores() {
        let count = 100_003
        let initial = (0..<count).map { Float(($0 % 97) - 48) / 16 }
        let gradient = (0..<count).map { Float(($0 % 89) - 44) / 32 }
        let parameter = Parameter(Tensor(initial))
        let optimizer = Adam(parameters: [parameter], learningRate: 0.01, weightDecay: 0.1)
        for _ in 0..<2 {
            parameter.grad = Tensor(gradient)
            optimizer.step()
        }
        // Two Adam updates with a constant gradient, by hand (L2 penalty uses the current θ).
        var worst = 0.0
        let result = parameter.value.scalars
        for i in 0..<count {
            var theta = Double(initial[i]), m = 0.0, v = 0.0
            for t in 1...2 {
                let g = Double(gradient[i]) + 0.1 * theta
                m = 0.9 * m + 0.1 * g
                v = 0.999 * v + 0.001 * g * g
                theta -= 0.01 * (m / (1 - pow(0.9, Double(t)))) / ((v / (1 - pow(0.999, Double(t)))).squareRoot() + 1e-8)
            }
            worst = max(worst, abs(Double(result[i]) - theta) / max(1, abs(theta)))
        }
        #expect(worst <= 1e-5, "largest relative error \(worst)")
    }
}
