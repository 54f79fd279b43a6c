import Foundation
import Tensor

/// A zoo network built for a file of published ImageNet weights and holding them: the
/// starting point of fine-tuning.
///
/// ```swift
/// let pretrained = try PretrainedModel("mobilenet-v2", weights: url)   // → mobilenet-v2-tflite
/// pretrained.model.adapt(inputChannels: 1, classCount: 2, seed: 42)
/// ```
public struct PretrainedModel {
    /// The network, with the file's weights and its original classifier.
    public let model: any FineTunable
    /// The recipe the file matched: zoo name, class count, input normalization.
    public let architecture: PretrainedArchitecture
    /// What the load placed and what it did not.
    public let report: LoadReport

    /// Reads the weights at `url` (safetensors or a PyTorch checkpoint), detects their layout,
    /// builds the zoo architecture that fits them for the model called `name` (see
    /// ``PretrainedArchitecture/resolve(model:layout:)``), and loads them.
    /// - Throws: the readers' errors, or ``PretrainedWeightsError`` when no recipe fits or a
    ///   shape differs.
    public init(_ name: String, weights url: URL, seed: UInt64 = 0) throws {
        let tensors = try PretrainedWeights.read(from: url)
        let layout = PretrainedLayout(detectingFrom: tensors.keys)
        let architecture = try PretrainedArchitecture.resolve(model: name, layout: layout)
        let built = try ModelZoo.make(architecture.name, inputChannels: 3, classCount: architecture.classCount, seed: seed)
        guard let model = built as? any FineTunable else {
            throw PretrainedWeightsError.unsupportedModel(model: name, layout: layout,
                                                          available: PretrainedArchitecture.all.map(\.name))
        }
        self.report = try PretrainedWeights.load(into: model, tensors: tensors, layout: layout, source: url.path)
        self.model = model
        self.architecture = architecture
    }
}
