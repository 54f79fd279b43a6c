import Tensor

// The ONNX operators (opset 17) Fathom's layers are made of, each computing its output shape.

extension ONNXGraphBuilder {
    /// `max(x, 0)`.
    public mutating func relu(_ x: ONNXValue) -> ONNXValue {
        node("Relu", [x.name], featureShape: x.featureShape)
    }

    /// `min(max(x, 0), 6)` as `Clip` with the bounds as inputs (opset 11 and later).
    public mutating func relu6(_ x: ONNXValue) -> ONNXValue {
        let low = sharedScalar("zero", 0), high = sharedScalar("six", 6)
        return node("Clip", [x.name, low, high], featureShape: x.featureShape)
    }

    /// An elementwise operator of one input and no attributes but `attributes` (`Sigmoid`,
    /// `Tanh`, `LeakyRelu`, `Erf`, `Softmax`, …).
    public mutating func elementwise(_ opType: String, _ x: ONNXValue, _ attributes: [ONNXAttribute] = []) -> ONNXValue {
        node(opType, [x.name], attributes, featureShape: x.featureShape)
    }

    /// The exact GELU, `x · ½(1 + erf(x/√2))` (opset 17 has no `Gelu`; it is built from `Erf`).
    public mutating func gelu(_ x: ONNXValue) -> ONNXValue {
        let scaled = node("Mul", [x.name, sharedScalar("inverse_sqrt2", 0.70710678118654752)], featureShape: x.featureShape)
        let erf = elementwise("Erf", scaled)
        let onePlus = node("Add", [erf.name, sharedScalar("one", 1)], featureShape: x.featureShape)
        let product = node("Mul", [x.name, onePlus.name], featureShape: x.featureShape)
        return node("Mul", [product.name, sharedScalar("half", 0.5)], featureShape: x.featureShape)
    }

    /// `a + b` for values of equal shape.
    public mutating func add(_ a: ONNXValue, _ b: ONNXValue) -> ONNXValue {
        node("Add", [a.name, b.name], featureShape: a.featureShape)
    }

    /// `[N, d1, d2, …]` → `[N, d1·d2·…]`.
    public mutating func flatten(_ x: ONNXValue) -> ONNXValue {
        node("Flatten", [x.name], [.int("axis", 1)], featureShape: [x.featureShape.reduce(1, *)])
    }

    /// `[N, C, H, W]` → `[N, C]`: `GlobalAveragePool`, then `Flatten`.
    public mutating func globalAveragePool(_ x: ONNXValue) -> ONNXValue {
        let pooled = node("GlobalAveragePool", [x.name], featureShape: [x.featureShape[0], 1, 1])
        return flatten(pooled)
    }

    /// A 2-D convolution of an `[N, C, H, W]` value with explicit `pads` (top, left, bottom,
    /// right in ONNX's order: all begins, then all ends).
    public mutating func convolution(_ x: ONNXValue, weight: String, bias: String?, weightShape: [Int],
                                     stride: (Int, Int), pads: (top: Int, bottom: Int, left: Int, right: Int),
                                     dilation: (Int, Int), groups: Int) -> ONNXValue {
        let kernel = (weightShape[2], weightShape[3])
        let height = Self.outputSize(x.featureShape[1], kernel: kernel.0, stride: stride.0, padding: pads.top + pads.bottom,
                                     dilation: dilation.0)
        let width = Self.outputSize(x.featureShape[2], kernel: kernel.1, stride: stride.1, padding: pads.left + pads.right,
                                    dilation: dilation.1)
        return node("Conv", [x.name, weight] + (bias.map { [$0] } ?? []),
                    [.ints("kernel_shape", [kernel.0, kernel.1]), .ints("strides", [stride.0, stride.1]),
                     .ints("pads", [pads.top, pads.left, pads.bottom, pads.right]),
                     .ints("dilations", [dilation.0, dilation.1]), .int("group", groups)],
                    featureShape: [weightShape[0], height, width])
    }

    /// `MaxPool` or `AveragePool` (`opType`) over `kernel` windows of an `[N, C, H, W]` value with
    /// symmetric `padding` (floor mode).
    public mutating func pool(_ opType: String, _ x: ONNXValue, kernel: (Int, Int), stride: (Int, Int),
                              padding: (Int, Int), _ attributes: [ONNXAttribute] = []) -> ONNXValue {
        let height = Self.outputSize(x.featureShape[1], kernel: kernel.0, stride: stride.0, padding: 2 * padding.0, dilation: 1)
        let width = Self.outputSize(x.featureShape[2], kernel: kernel.1, stride: stride.1, padding: 2 * padding.1, dilation: 1)
        return node(opType, [x.name],
                    [.ints("kernel_shape", [kernel.0, kernel.1]), .ints("strides", [stride.0, stride.1]),
                     .ints("pads", [padding.0, padding.1, padding.0, padding.1])] + attributes,
                    featureShape: [x.featureShape[0], height, width])
    }

    /// A matrix product `a · b` (numpy broadcasting) whose result has shape `[N] + featureShape`.
    public mutating func matmul(_ a: String, _ b: String, featureShape: [Int]) -> ONNXValue {
        node("MatMul", [a, b], featureShape: featureShape)
    }

    /// The positions along one axis of a sliding window: PyTorch's and ONNX's floor formula.
    static func outputSize(_ size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int {
        (size + padding - dilation * (kernel - 1) - 1) / stride + 1
    }
}
