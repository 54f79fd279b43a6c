import Foundation

// Activation functions, as unary primitives (see Tensor+UnaryMath.swift).

extension Tensor {
    /// max(x, 0).
    public func relu() -> Tensor { unary("relu", ReLU()) }

    /// min(max(x, 0), 6), the activation of MobileNet and EfficientNet-Lite.
    public func relu6() -> Tensor { unary("relu6", ReLU6()) }

    /// x for x > 0, `negativeSlope`·x otherwise.
    public func leakyRelu(negativeSlope: Float = 0.01) -> Tensor { unary("leakyRelu", LeakyReLU(negativeSlope: negativeSlope)) }

    /// 1 / (1 + e^-x).
    public func sigmoid() -> Tensor { unary("sigmoid", Sigmoid()) }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor { unary("tanh", HyperbolicTangent()) }

    /// The exact GELU, x·Φ(x) with the Gaussian CDF Φ (PyTorch's default, not the tanh form).
    public func gelu() -> Tensor { unary("gelu", GELU()) }

    /// log(1 + e^x), computed without overflow; its derivative is the sigmoid.
    public func softplus() -> Tensor { unary("softplus", Softplus()) }
}

// Derivatives written in terms of the output `y` only mark `derivativeReadsInput` false: the
// tape then keeps the output alone.

struct ReLU: ScalarFunction {
    static let derivativeReadsInput = false
    func value(_ x: Float) -> Float { Swift.max(x, 0) }
    func derivative(x: Float, y: Float) -> Float { y > 0 ? 1 : 0 }  // y > 0 exactly when x > 0
}

struct ReLU6: ScalarFunction {
    static let derivativeReadsInput = false
    func value(_ x: Float) -> Float { Swift.min(Swift.max(x, 0), 6) }
    func derivative(x: Float, y: Float) -> Float { y > 0 && y < 6 ? 1 : 0 }  // 0 < y < 6 exactly when 0 < x < 6
}

struct LeakyReLU: ScalarFunction {
    let negativeSlope: Float
    func value(_ x: Float) -> Float { x > 0 ? x : negativeSlope * x }
    func derivative(x: Float, y: Float) -> Float { x > 0 ? 1 : negativeSlope }
}

struct Sigmoid: ScalarFunction {
    static let derivativeReadsInput = false
    func value(_ x: Float) -> Float { stableSigmoid(x) }
    func derivative(x: Float, y: Float) -> Float { y * (1 - y) }
}

struct HyperbolicTangent: ScalarFunction {
    static let derivativeReadsInput = false
    func value(_ x: Float) -> Float { Foundation.tanh(x) }
    func derivative(x: Float, y: Float) -> Float { 1 - y * y }
}

struct GELU: ScalarFunction {
    func value(_ x: Float) -> Float { 0.5 * x * (1 + erf(x * 0.70710678118654752)) }
    func derivative(x: Float, y: Float) -> Float {
        let cdf = 0.5 * (1 + erf(x * 0.70710678118654752))
        let pdf = Foundation.exp(-0.5 * x * x) * 0.39894228040143268
        return cdf + x * pdf
    }
}

struct Softplus: ScalarFunction {
    func value(_ x: Float) -> Float { Swift.max(x, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(x))) }
    func derivative(x: Float, y: Float) -> Float { stableSigmoid(x) }
}
