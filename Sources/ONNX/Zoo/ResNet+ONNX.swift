import Layers

extension ResNet: ONNXExportable {
    /// The stem (convolution, batch norm, ReLU, max pool), the four stages, global average
    /// pooling, `Flatten` and `fc`: the unfused, unchunked math of ``ResNet/forward(_:)``.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        var x = input
        for layer in [conv1, bn1, relu, maxpool, layer1, layer2, layer3, layer4, avgpool] as [Module] {
            x = try graph.export(layer, x)
        }
        return try graph.export(fc, graph.flatten(x))
    }
}

extension BasicBlock: ONNXExportable {
    /// `Relu(bn2(conv2(Relu(bn1(conv1(x))))) + shortcut(x))`, the shortcut being `downsample`
    /// or the identity.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        var x = input
        for layer in [conv1, bn1, relu, conv2, bn2] as [Module] { x = try graph.export(layer, x) }
        let shortcut = try downsample.map { try graph.export($0, input) } ?? input
        return graph.relu(graph.add(x, shortcut))
    }
}
