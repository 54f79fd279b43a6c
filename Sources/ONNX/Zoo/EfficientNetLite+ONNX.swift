import Layers

extension EfficientNetLite: ONNXExportable {
    /// Stem (convolution, batch norm, `Clip(0, 6)`), the MBConv blocks, head (1×1 convolution,
    /// batch norm, `Clip(0, 6)`), global average pooling and `fc` (dropout removed).
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        var x = graph.relu6(try graph.export(bn0, try graph.export(convStem, input)))
        for block in blocks { x = try graph.export(block, x) }
        x = graph.relu6(try graph.export(bn1, try graph.export(convHead, x)))
        return try graph.export(fc, try graph.export(dropout, try graph.export(pool, x)))
    }
}

extension MBConvBlock: ONNXExportable {
    /// Expansion (when present), depthwise and projection convolutions with their batch norms,
    /// `Clip(0, 6)` after the first two, and `Add` with the input when residual.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        var x = input
        if let expandConv, let bn0 { x = graph.relu6(try graph.export(bn0, try graph.export(expandConv, x))) }
        x = graph.relu6(try graph.export(bn1, try graph.export(depthwiseConv, x)))
        x = try graph.export(bn2, try graph.export(projectConv, x))
        return usesResidual ? graph.add(x, input) : x
    }
}
