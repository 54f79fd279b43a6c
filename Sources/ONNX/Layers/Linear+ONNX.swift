import Layers

extension Linear: ONNXExportable {
    /// `Gemm(x, W, b)` with `transB = 1`: `x·Wᵀ + b` on `[N, inputFeatures]` (without a bias,
    /// the same `Gemm` with two inputs).
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        try graph.requireFeatures(input, inputFeatures)
        let inputs = [input.name, graph.initializer(weight)] + (bias.map { [graph.initializer($0)] } ?? [])
        return graph.node("Gemm", inputs, [.int("transB", 1)], featureShape: [outputFeatures])
    }
}
