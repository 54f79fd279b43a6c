import Tensor

/// Merges the axes `startAxis…endAxis` into one (PyTorch's `nn.Flatten`; by default
/// `[N, C, H, W]` → `[N, C·H·W]`).
public final class Flatten: Module {
    /// The first axis merged.
    public let startAxis: Int
    /// The last axis merged (negative counts from the end).
    public let endAxis: Int

    /// Flattening of the axes `startAxis…endAxis` (all but the batch axis by default).
    public init(startAxis: Int = 1, endAxis: Int = -1) {
        self.startAxis = startAxis
        self.endAxis = endAxis
    }

    /// The flattened input.
    public override func forward(_ input: Tensor) -> Tensor {
        input.flattened(startAxis: startAxis, endAxis: endAxis)
    }
}
