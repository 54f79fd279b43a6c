import Layers

extension Conv2D: ONNXExportable {
    /// `Conv` with the layer's weight and bias; TensorFlow SAME padding becomes the explicit,
    /// possibly asymmetric `pads` it resolves to at this input size (the extra row and column at
    /// the bottom and right).
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        try graph.requireFeatureMap(input, channels: inputChannels)
        let pads = padding.resolved(height: input.featureShape[1], width: input.featureShape[2], kernelSize: kernelSize,
                                    stride: stride, dilation: dilation)
        return graph.convolution(input, weight: graph.initializer(weight), bias: bias.map { graph.initializer($0) },
                                 weightShape: weight.shape, stride: stride, pads: pads, dilation: dilation, groups: groups)
    }
}
