import Layers

extension VGG: ONNXExportable {
    /// The features, adaptive average pooling to 7×7, `Flatten` and the classifier.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        let pooled = try graph.export(avgpool, try graph.export(features, input))
        return try graph.export(classifier, graph.flatten(pooled))
    }
}
