import ArgumentParser
import Foundation
import PneumoniaKit

/// `pneumonia calibrate`: fits (again) a run's probability calibration and threshold on its
/// validation split — for runs trained before calibration existed, or to switch method.
struct Calibrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a run's probability calibration and decision threshold on its validation split.",
        discussion: """
            Training already does this as its last step; use it for runs trained before calibration existed, or to \
            change the method or threshold rule. Rewrites the run's model and run.json (atomically).
            """)

    @Option(help: "The run directory written by `pneumonia train`.")
    var model: String

    @Option(help: "temperature, platt or none (default: the run's method).")
    var method: CalibrationChoice?

    @Option(help: "fixed, youden or shifted-youden (default: the run's).")
    var thresholdRule: ThresholdRule?

    func run() async throws {
        let run = RunDirectory(URL(fileURLWithPath: model))
        let metadata = try run.readMetadata()
        let method = method ?? metadata.configuration.calibration
        let rule = thresholdRule ?? metadata.configuration.thresholdRule
        let validation = try await EvaluationSet.trainingData(of: metadata, split: "val")
        var config = metadata.configuration
        config.calibration = method
        config.thresholdRule = rule
        _ = try RunCalibration(run: run, validation: validation.dataset, method: method.method,
                               thresholdRule: rule, workers: config.workers).apply(recording: config)
    }
}
