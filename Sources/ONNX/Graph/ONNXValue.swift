/// A tensor in the graph being built: its name and its shape after the batch axis.
///
/// Every value of an exported classifier has the dynamic batch axis `N` first; the other axes
/// are fixed by the input size given to the export (TensorFlow SAME padding and adaptive
/// pooling need them).
public struct ONNXValue: Sendable, Equatable {
    /// The value's name in the graph.
    public let name: String
    /// The shape without the batch axis (`[C, H, W]` for feature maps, `[F]` for features).
    public let featureShape: [Int]

    /// A value called `name` of shape `[N] + featureShape`.
    public init(name: String, featureShape: [Int]) {
        self.name = name
        self.featureShape = featureShape
    }
}
