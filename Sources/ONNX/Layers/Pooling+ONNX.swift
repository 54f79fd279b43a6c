import Layers

extension MaxPool2D: ONNXExportable {
    /// `MaxPool` (padding counts as −∞ in both).
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        try graph.requireFeatureMap(input)
        guard !ceilMode else { throw graph.unsupported(self, "ceil_mode pooling is not exported") }
        return graph.pool("MaxPool", input, kernel: kernelSize, stride: stride, padding: padding)
    }
}

extension AvgPool2D: ONNXExportable {
    /// `AveragePool` with `count_include_pad` as the layer's.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        try graph.requireFeatureMap(input)
        guard !ceilMode else { throw graph.unsupported(self, "ceil_mode pooling is not exported") }
        return graph.pool("AveragePool", input, kernel: kernelSize, stride: stride, padding: padding,
                          [.int("count_include_pad", countIncludePad ? 1 : 0)])
    }
}

extension GlobalAvgPool2D: ONNXExportable {
    /// `GlobalAveragePool`, then `Flatten` to `[N, C]`.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        try graph.requireFeatureMap(input)
        return graph.globalAveragePool(input)
    }
}
