import Layers

extension CompactCNN: ONNXExportable {
    /// The blocks (convolution, batch norm, max pool, ReLU), global average pooling and the
    /// classifier (dropout removed, `Gemm`).
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        let maps = try graph.export(features, input)
        return try graph.export(classifier, try graph.export(pool, maps))
    }
}
