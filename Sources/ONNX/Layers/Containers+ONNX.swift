import Layers

// Containers and the layers that vanish or only reshape in inference.

extension Sequential: ONNXExportable {
    /// Each layer's export in turn.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        try layers.reduce(input) { x, layer in try graph.export(layer, x) }
    }
}

extension Residual: ONNXExportable {
    /// `Add(body(x), shortcut(x))`, the shortcut being the identity when absent.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        let branch = try graph.export(body, input)
        let skip = try shortcut.map { try graph.export($0, input) } ?? input
        guard branch.featureShape == skip.featureShape else {
            throw ONNXExportError.shapeMismatch(path: graph.currentPath, expected: "body and shortcut outputs of one shape",
                                                found: branch.featureShape)
        }
        return graph.add(branch, skip)
    }
}

extension Identity: ONNXExportable {
    /// No node: the input itself.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue { input }
}

extension Dropout: ONNXExportable {
    /// No node: dropout is the identity in inference.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue { input }
}

extension Flatten: ONNXExportable {
    /// `Flatten(axis: 1)` for the default (all axes after the batch); other axis ranges as a
    /// `Reshape` to the static shape they give.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        let rank = input.featureShape.count + 1
        let start = startAxis < 0 ? startAxis + rank : startAxis
        let end = endAxis < 0 ? endAxis + rank : endAxis
        guard 0 < start, start <= end, end < rank else {
            throw graph.unsupported(self, "flattening axes \(startAxis)…\(endAxis) of a rank-\(rank) value must keep the batch axis 0 apart")
        }
        if start == 1 && end == rank - 1 { return graph.flatten(input) }
        let dims = input.featureShape
        let merged = dims[(start - 1)...(end - 1)].reduce(1, *)
        let shape = Array(dims[..<(start - 1)]) + [merged] + Array(dims[end...])
        return graph.node("Reshape", [input.name, graph.constant("shape", int64s: [-1] + shape)], featureShape: shape)
    }
}
