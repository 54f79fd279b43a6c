import Foundation
import Layers
import ONNX
import ONNXReference
import Tensor
import Testing

/// Exports a module, runs the file through `check_onnx.py` (onnx.checker, then ONNX Runtime on
/// the CPU) and compares with Fathom's eval-mode forward pass.
enum ONNXReferenceSupport {
    /// The agreement required of every output: `|onnx − fathom| ≤ 1e-4 · max(1, |fathom|)`
    /// element by element.
    static let tolerance: Float = 1e-4

    /// Puts random but plausible values in every batch norm's statistics and affine parameters
    /// and in every bias (the zoo initializes them to 0 and 1, which would hide a wrong operand
    /// order or a skipped normalization), then switches to eval mode.
    static func randomizeStatistics(of model: Module, seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        for module in model.modules() {
            if let norm = module as? BatchNorm {
                let c = norm.featureCount
                norm.runningMean?.value = Tensor.uniform([c], low: -0.5, high: 0.5, generator: &rng)
                norm.runningVariance?.value = Tensor.uniform([c], low: 0.5, high: 2, generator: &rng)
                norm.weight?.value = Tensor.uniform([c], low: 0.5, high: 1.5, generator: &rng)
                norm.bias?.value = Tensor.uniform([c], low: -0.5, high: 0.5, generator: &rng)
            }
        }
        for (name, parameter) in model.namedParameters() where name.hasSuffix("bias") {
            parameter.value = Tensor.uniform(parameter.shape, low: -0.1, high: 0.1, generator: &rng)
        }
        model.eval()
    }

    /// Exports `model` for inputs `[N] + inputShape`, runs the file on `batch` random images in
    /// ONNX Runtime and returns the largest relative error of the logits and of the softmax
    /// probabilities against Fathom's, with the exported model.
    static func compare(_ model: Module, inputShape: [Int], batch: Int = 2, seed: UInt64 = 1)
        throws -> (logitsError: Float, probabilitiesError: Float, exported: ONNXModel) {
        var rng = RandomGenerator(seed: seed)
        let images = Tensor.normal([batch] + inputShape, generator: &rng)
        model.eval()
        let logits = withoutGradients { model(images) }
        let exported = try ONNXModel(exporting: model, inputShape: inputShape, options: ONNXExportOptions(probabilities: .softmax))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-onnx-\(UUID().uuidString).onnx")
        defer { try? FileManager.default.removeItem(at: file) }
        try exported.write(to: file)
        let result = try ONNXRuntimeCheck.run(model: file, inputs: ["image": images])
        let onnxLogits = try #require(result.outputs["logits"], "no logits output; outputs: \(result.outputs.keys.sorted())")
        let onnxProbabilities = try #require(result.outputs["probabilities"], "no probabilities output")
        return (ONNXRuntimeCheck.largestRelativeError(onnxLogits, logits),
                ONNXRuntimeCheck.largestRelativeError(onnxProbabilities, logits.softmax(alongAxis: 1)), exported)
    }
}
