import Tensor

/// `body(x) + shortcut(x)`: the residual connection of He et al. (2016), with an identity
/// shortcut unless one is given (e.g. a strided 1×1 convolution when shapes change).
///
/// State names: `body.…` and `shortcut.…`.
public final class Residual: Module {
    /// The residual branch.
    public let body: Module
    /// The shortcut branch, or `nil` for the identity.
    public let shortcut: Module?

    /// The sum of `body` and `shortcut` (the identity when `nil`).
    public init(_ body: Module, shortcut: Module? = nil) {
        self.body = body
        self.shortcut = shortcut
    }

    /// `body(x) + shortcut(x)`; the two outputs must have the same shape.
    public override func forward(_ input: Tensor) -> Tensor {
        let residual = body(input)
        let skip = shortcut?(input) ?? input
        precondition(residual.shape == skip.shape,
                     "Residual: body output \(residual.shape) and shortcut output \(skip.shape) differ")
        return residual + skip
    }
}
