import Layers

extension ReLU: ONNXExportable {
    /// `Relu`.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        graph.relu(input)
    }
}

extension ReLU6: ONNXExportable {
    /// `Clip(x, 0, 6)`.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        graph.relu6(input)
    }
}

extension LeakyReLU: ONNXExportable {
    /// `LeakyRelu` with `alpha` = the negative slope.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        graph.elementwise("LeakyRelu", input, [.float("alpha", negativeSlope)])
    }
}

extension GELU: ONNXExportable {
    /// The exact (erf) GELU, as Fathom computes it.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        graph.gelu(input)
    }
}

extension Sigmoid: ONNXExportable {
    /// `Sigmoid`.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        graph.elementwise("Sigmoid", input)
    }
}

extension Tanh: ONNXExportable {
    /// `Tanh`.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        graph.elementwise("Tanh", input)
    }
}
