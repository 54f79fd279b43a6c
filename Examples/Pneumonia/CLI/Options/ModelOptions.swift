import ArgumentParser
import Foundation
import Layers

/// The network `train` fits: its architecture, input size and, for transfer learning, the
/// pretrained weights it starts from. Each property is the training-configuration choice of
/// the same name; `nil` keeps the default, or the resumed run's value.
struct ModelOptions: ParsableArguments, Encodable {
    @Option(help: "Architecture: \(ModelZoo.names.joined(separator: ", ")).")
    var model: String?

    @Option(help: "Input side in pixels (default: the data's own size; for folders 28, or 128 with --pretrained).")
    var imageSize: Int?

    @Option(help: ArgumentHelp("Start from ImageNet weights: a .pth or .safetensors file (efficientnet-lite0, or mobilenet-v2 from TF-Lite).",
                               discussion: "Only read now; the run directory holds every weight afterwards."),
            transform: { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath).standardizedFileURL.path })
    var pretrained: String?

    @Option(help: "With --pretrained: epochs training only the new head, backbone and its batch norm frozen (default 2).")
    var frozenEpochs: Int?

    @Option(name: .customLong("backbone-lr-scale"),
            help: "With --pretrained: backbone learning rate as a fraction of the head's after unfreezing (default 0.1).")
    var backboneLearningRateScale: Float?

    /// Rejects a missing weights file and negative counts before anything runs.
    func validate() throws {
        if let pretrained, !FileManager.default.fileExists(atPath: pretrained) {
            throw ValidationError("no pretrained weights at \(pretrained); see README.md, \"Transfer learning\", for how to get them")
        }
        if let frozenEpochs, frozenEpochs < 0 { throw ValidationError("--frozen-epochs must be 0 or more") }
        if let backboneLearningRateScale, backboneLearningRateScale < 0 {
            throw ValidationError("--backbone-lr-scale must be 0 or more")
        }
    }
}
