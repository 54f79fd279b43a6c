import Tensor

/// The mean of each channel over height and width, `[N, C, H, W]` → `[N, C]`: ready for a
/// ``Linear`` classifier without a ``Flatten`` (Keras's `GlobalAveragePooling2D`).
public final class GlobalAvgPool2D: Module {
    /// The pooling layer.
    public override init() {}

    /// The per-channel means, `[N, C]`.
    public override func forward(_ input: Tensor) -> Tensor {
        precondition(input.rank == 4, "GlobalAvgPool2D: expected an NCHW input, got shape \(input.shape)")
        let pooled = globalAvgPool2d(input)
        return pooled.rank == 2 ? pooled : pooled.reshaped(to: [input.shape[0], input.shape[1]])
    }
}
