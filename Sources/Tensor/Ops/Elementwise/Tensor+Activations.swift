import Foundation

// Activation functions, as unary primitives (see Tensor+UnaryMath.swift).

extension Tensor {
    /// max(x, 0).
    public func relu() -> Tensor { unary("relu", { Swift.max($0, 0) }) { x, _ in x > 0 ? 1 : 0 } }

    /// min(max(x, 0), 6), the activation of MobileNet and EfficientNet-Lite.
    public func relu6() -> Tensor { unary("relu6", { Swift.min(Swift.max($0, 0), 6) }) { x, _ in x > 0 && x < 6 ? 1 : 0 } }

    /// x for x > 0, `negativeSlope`·x otherwise.
    public func leakyRelu(negativeSlope: Float = 0.01) -> Tensor {
        unary("leakyRelu", { $0 > 0 ? $0 : negativeSlope * $0 }) { x, _ in x > 0 ? 1 : negativeSlope }
    }

    /// 1 / (1 + e^-x).
    public func sigmoid() -> Tensor { unary("sigmoid", stableSigmoid) { _, y in y * (1 - y) } }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor { unary("tanh", { Foundation.tanh($0) }) { _, y in 1 - y * y } }

    /// The exact GELU, x·Φ(x) with the Gaussian CDF Φ (PyTorch's default, not the tanh form).
    public func gelu() -> Tensor {
        unary("gelu", { x in 0.5 * x * (1 + erf(x * 0.70710678118654752)) }) { x, _ in
            let cdf = 0.5 * (1 + erf(x * 0.70710678118654752))
            let pdf = Foundation.exp(-0.5 * x * x) * 0.39894228040143268
            return cdf + x * pdf
        }
    }

    /// log(1 + e^x), computed without overflow; its derivative is the sigmoid.
    public func softplus() -> Tensor {
        unary("softplus", { x in Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x))) }) { x, _ in
            stableSigmoid(x)
        }
    }
}
