import Layers

extension MobileNetV2: ONNXExportable {
    /// The features (both layouts: with batch norm, or TF-Lite's folded biases and SAME
    /// padding as explicit pads), global average pooling and the classifier.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        let maps = try graph.export(features, input)
        return try graph.export(classifier, try graph.export(pool, maps))
    }
}

extension InvertedResidual: ONNXExportable {
    /// The expansion, depthwise and projection layers, plus `Add` with the input when residual.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        let output = try graph.export(conv, input)
        return usesResidual ? graph.add(output, input) : output
    }
}
