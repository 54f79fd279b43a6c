import Tensor

/// Average pooling to a fixed output size, as PyTorch's `adaptive_avg_pool2d`: output row `i`
/// averages input rows `floor(i·H/outH) ..< ceil((i+1)·H/outH)` (columns likewise), so windows
/// may overlap or differ in size when the sizes do not divide.
///
/// Differentiable with respect to `input`.
public func adaptiveAvgPool2d(_ input: Tensor, outputSize: (Int, Int)) -> Tensor {
    let pooling = Pooling2D(input: input.shape, op: "adaptiveAvgPool2d",
                            rows: { .adaptive(op: "adaptiveAvgPool2d", inputSize: $0, outputSize: outputSize.0) },
                            columns: { .adaptive(op: "adaptiveAvgPool2d", inputSize: $0, outputSize: outputSize.1) })
    return averagePool(input, pooling, op: "adaptiveAvgPool2d")
}

/// The mean of each channel over its whole plane: `[N, C, H, W]` → `[N, C, 1, 1]`.
///
/// The result keeps its unit spatial axes, as PyTorch's `AdaptiveAvgPool2d(1)`, so that the
/// classifier heads written for PyTorch (pool, then flatten) carry over unchanged; flatten to
/// get `[N, C]`. Differentiable with respect to `input`.
public func globalAvgPool2d(_ input: Tensor) -> Tensor {
    adaptiveAvgPool2d(input, outputSize: (1, 1))
}
