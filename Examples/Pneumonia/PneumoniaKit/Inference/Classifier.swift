import Foundation
import Layers
import Tensor
import Vision

/// A trained pneumonia model ready for inference: the network in eval mode, the preprocessing
/// it was trained with, and its decision threshold. `evaluate`, `predict`, `serve` and the
/// trainer's validation all go through here, so they compute the same probabilities.
public final class Classifier: @unchecked Sendable {
    /// The network (eval mode; only forward passes without the tape touch it).
    public let model: Module
    /// The run's metadata.
    public let metadata: RunMetadata
    /// Whether ``probabilities(batch:)`` applies the run's ``RunMetadata/calibration`` (false
    /// when asked for raw scores, or when the run has none).
    public let isCalibrated: Bool
    /// The network with its layers fused, which runs every forward pass.
    private let fused: FusedModel<Module>

    /// Wraps a model already in memory (the trainer's); `calibrated: false` reports the
    /// network's raw scores even when the run has a calibration.
    public init(model: Module, metadata: RunMetadata, calibrated: Bool = true) {
        self.model = model
        fused = FusedModel(model)
        self.metadata = metadata
        isCalibrated = calibrated && metadata.calibration != nil
    }

    /// The decision threshold on the scale of ``probabilities(batch:)``: the run's threshold,
    /// mapped to the raw scale when calibration is off (the same decisions either way).
    public var threshold: Float {
        guard !isCalibrated, let calibration = metadata.calibration else { return metadata.threshold }
        return calibration.uncalibrate(metadata.threshold)
    }

    /// Loads the best model of a run directory; `calibrated: false` reports raw scores.
    public convenience init(run: RunDirectory, calibrated: Bool = true) throws {
        let metadata = try run.readMetadata()
        let model = try ModelZoo.make(metadata.architecture, inputChannels: metadata.preprocessing.channels,
                                      classCount: metadata.classes.count, seed: 0)
        guard FileManager.default.fileExists(atPath: run.bestModel.path) else {
            throw RunError.missing(path: run.bestModel.path, hint: "the run has no saved model yet")
        }
        try model.load(from: run.bestModel, strict: true)
        model.eval()
        self.init(model: model, metadata: metadata, calibrated: calibrated)
    }

    /// Pneumonia probabilities of a normalized batch `[N, C, S, S]`, averaged over the run's
    /// test-time views when it has them (``RunMetadata/testTimeAugmentation``), calibrated
    /// when ``isCalibrated``.
    public func probabilities(batch: Tensor) -> [Float] {
        let positive = metadata.positiveClass
        let preprocessing = metadata.preprocessing
        let views = metadata.testTimeAugmentation.map {
            $0.viewBatches(of: batch, fill: -preprocessing.mean[0] / preprocessing.standardDeviation[0])
        } ?? [batch]
        return withoutGradients {
            var mean = [Float](repeating: 0, count: batch.shape[0])
            for view in views {
                let p = fused(view).softmax(alongAxis: 1).slice(alongAxis: 1, start: positive, end: positive + 1).scalars
                for i in mean.indices { mean[i] += p[i] / Float(views.count) }
            }
            guard isCalibrated, let calibration = metadata.calibration else { return mean }
            return mean.map(calibration.calibrate)
        }
    }

    /// The pneumonia probability of one decoded image of any size and colour.
    public func probability(of image: Image) -> Float {
        probabilities(batch: metadata.preprocessing.input(from: image))[0]
    }

    /// Probabilities and labels of every image of `dataset`, in order, prepared with the run's
    /// preprocessing on `workers` background threads.
    public func predict(_ dataset: AnyDataset, batchSize: Int = 128, workers: Int = 2,
                        progress: ((Int) -> Void)? = nil) throws -> (labels: [Int], probabilities: [Float]) {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        let loader = DataLoader(dataset: dataset, batchSize: batchSize, transform: metadata.preprocessing.transform,
                                workerCount: workers)
        var labels: [Int] = [], probabilities: [Float] = []
        try loader.forEachBatch(epoch: 0) { batch in
            labels += batch.labels
            probabilities += self.probabilities(batch: batch.images)
            progress?(labels.count)
        }
        return (labels, probabilities)
    }

    /// The label name for a probability (on this classifier's scale) at the run's threshold.
    public func label(for probability: Float) -> String {
        let positive = metadata.positiveClass
        return metadata.classes[probability >= threshold ? positive : 1 - positive]
    }
}
