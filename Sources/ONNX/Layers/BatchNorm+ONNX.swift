import Layers
import Tensor

extension BatchNorm: ONNXExportable {
    /// `BatchNormalization` in inference mode with the running statistics (not folded into the
    /// convolution before it, so every state-dictionary tensor keeps its name in the file; ONNX
    /// Runtime folds it when it loads the model). Without affine parameters the scale is 1 and
    /// the shift 0.
    public func export(_ input: ONNXValue, into graph: inout ONNXGraphBuilder) throws -> ONNXValue {
        guard let runningMean, let runningVariance else {
            throw graph.unsupported(self, "without running statistics it normalizes with each batch's own, which is not inference-mode BatchNormalization")
        }
        guard input.featureShape.first == featureCount else {
            throw ONNXExportError.shapeMismatch(path: graph.currentPath, expected: "[N, \(featureCount), …]", found: input.featureShape)
        }
        let scale = weight.map { graph.initializer($0) } ?? graph.constant("scale", Tensor.ones([featureCount]))
        let shift = bias.map { graph.initializer($0) } ?? graph.constant("shift", Tensor.zeros([featureCount]))
        return graph.node("BatchNormalization",
                          [input.name, scale, shift, graph.initializer(runningMean), graph.initializer(runningVariance)],
                          [.float("epsilon", epsilon)], featureShape: input.featureShape)
    }
}
