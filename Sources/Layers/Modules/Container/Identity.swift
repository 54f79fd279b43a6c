import Tensor

/// Returns its input: a placeholder where an architecture has an optional layer (PyTorch's
/// `nn.Identity`), e.g. to drop a classifier and keep the features.
public final class Identity: Module {
    /// The identity layer.
    public override init() {}
    /// The input, unchanged.
    public override func forward(_ input: Tensor) -> Tensor { input }
}
