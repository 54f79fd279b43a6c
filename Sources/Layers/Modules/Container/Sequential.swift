import Tensor

/// Layers applied one after another (PyTorch's `nn.Sequential`); their state names are their
/// positions: `0.weight`, `1.running_mean`, …
///
/// ```swift
/// let head = Sequential(Flatten(), Linear(512, 10, generator: &rng))
/// ```
public final class Sequential: Module {
    /// The layers, in order. Replacing one keeps the others (e.g. a new classifier for transfer
    /// learning: `classifier.layers[6] = Linear(4096, 2, generator: &rng)`).
    public var layers: [Module]

    /// The layers named by position, not as `layers.N`.
    public override class var propertyKeys: [String: String] { ["layers": ""] }

    /// The composition of `layers`, applied in order.
    public init(_ layers: [Module]) {
        self.layers = layers
    }

    /// The composition of `layers`, applied in order.
    public convenience init(_ layers: Module...) {
        self.init(layers)
    }

    /// The number of layers.
    public var count: Int { layers.count }

    /// The layer at `index`.
    public subscript(index: Int) -> Module {
        layers[index]
    }

    /// The input passed through every layer in turn.
    public override func forward(_ input: Tensor) -> Tensor {
        layers.reduce(input) { x, layer in layer(x) }
    }
}
