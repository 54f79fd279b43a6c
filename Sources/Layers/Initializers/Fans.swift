/// Which fan a variance-preserving initializer keeps constant: `fanIn` preserves the variance
/// of activations in the forward pass, `fanOut` that of gradients in the backward pass.
public enum FanMode: Sendable, Equatable {
    /// Input features × kernel area.
    case fanIn
    /// Output features × kernel area.
    case fanOut
}

extension Initializer {
    /// The fans of a weight of `shape` as PyTorch computes them: `[out, in, k…]` gives
    /// `fanIn = in·∏k` and `fanOut = out·∏k` (a convolution's receptive field multiplies both).
    public static func fans(of shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(shape.count >= 2, "Initializer.fans: needs a weight of rank ≥ 2, got shape \(shape)")
        let receptiveField = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptiveField, shape[0] * receptiveField)
    }
}
