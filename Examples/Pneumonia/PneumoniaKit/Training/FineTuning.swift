import Foundation
import Layers
import Optim

/// The transfer-learning side of a training run: starting from published ImageNet weights,
/// then two phases — first only the new head trains on a completely frozen backbone (batch
/// norm included), then everything trains with the backbone at a fraction of the head's
/// learning rate.
///
/// Why two phases: the fresh head's first gradients are large and random; flowing into the
/// backbone they would wreck the pretrained features before the head has learned to use them.
struct FineTuning {
    /// The network being fine-tuned.
    let model: any FineTunable
    /// Epochs at the start with the backbone frozen.
    let frozenEpochs: Int

    /// The fine-tuning of `model` that `configuration` asks for, or `nil` for a run trained
    /// from scratch (or an architecture without a pretrained head/backbone split).
    init?(model: Module, configuration: TrainingConfiguration) {
        guard configuration.pretrained != nil, let model = model as? any FineTunable else { return nil }
        self.model = model
        frozenEpochs = configuration.frozenEpochCount
    }

    /// Builds the zoo network for `name` with the weights at `path`, checks that they cover the
    /// whole backbone, and adapts it to `inputChannels` and `classCount` (see
    /// `FineTunable.adapt`).
    /// - Throws: the loaders' errors; `RunError.incompatible` when backbone tensors stay unset.
    static func pretrainedModel(_ name: String, weights path: String, inputChannels: Int, classCount: Int, seed: UInt64,
                                log: (String) -> Void) throws -> PretrainedModel {
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        let pretrained = try PretrainedModel(name, weights: url, seed: seed)
        let report = pretrained.report
        let unset = report.missing.filter { !pretrained.model.isHead($0) }
        guard unset.isEmpty else {
            throw RunError.incompatible("\(url.path) leaves \(unset.count) tensors of the \(pretrained.architecture.name) "
                + "backbone unset (\(unset.prefix(5).joined(separator: ", "))…): is it the right file for --model \(name)?")
        }
        log("loaded \(report.loaded.count) pretrained tensors (\(pretrained.architecture.name), "
            + "\(pretrained.architecture.layout.rawValue) layout) from \(url.lastPathComponent)")
        if !report.unexpected.isEmpty {
            log("  \(report.unexpected.count) tensors of the file were not used: \(report.unexpected.prefix(5).joined(separator: ", "))")
        }
        pretrained.model.adapt(inputChannels: inputChannels, classCount: classCount, seed: seed)
        return pretrained
    }

    /// Puts the network in the phase of `epoch` (0-based; call after `model.train()`, which
    /// resets every mode) and returns a line to log when a phase begins.
    func enterPhase(epoch: Int) -> String? {
        if epoch < frozenEpochs {
            let count = model.freezeBackbone()
            guard epoch == 0 else { return nil }
            let epochs = frozenEpochs == 1 ? "epoch 1" : "epochs 1–\(frozenEpochs)"
            return "\(epochs): head only (\(count) backbone parameter tensors frozen, batch norm included)"
        }
        model.unfreezeBackbone()
        return epoch == frozenEpochs && frozenEpochs > 0 ? "epoch \(epoch + 1): backbone unfrozen" : nil
    }

    /// The optimizer groups: the head at the full learning rate, the backbone at `scale` times
    /// it (frozen parameters are skipped by the optimizer until unfrozen).
    func parameterGroups(learningRate: Float, backboneScale scale: Float) -> [ParameterGroup] {
        [ParameterGroup(parameters: model.headParameters),
         ParameterGroup(parameters: model.backboneParameters, learningRate: learningRate * scale)]
    }
}
