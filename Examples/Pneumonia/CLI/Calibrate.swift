import ArgumentParser
import Foundation
import PneumoniaKit

/// `pneumonia calibrate`: fits (again) a run's probability calibration and threshold on its
/// validation split — for runs trained before calibration existed, or to switch method.
public struct Calibrate: AsyncParsableCommand {
    /// The command's help and name.
    public static let configuration = CommandConfiguration(
        abstract: "Fit a run's probability calibration and decision threshold on its validation split.",
        discussion: """
            Training already does this as its last step; use it for runs trained before calibration existed, or to \
            change the method or threshold rule. Rewrites the run's model and run.json (atomically).
            """)

    /// The command with its defaults (ArgumentParser fills in what is given).
    public init() {}

    @Option(help: "The run directory written by `pneumonia train`.")
    var model: String

    @OptionGroup public var choices: RecalibrationOptions

    /// Runs the command.
    public func run() async throws {
        let run = RunDirectory(URL(fileURLWithPath: model))
        let metadata = try run.readMetadata()
        let config = try metadata.configuration.overlaid(with: choices)
        let validation = try await EvaluationSet.trainingData(of: metadata, split: "val")
        _ = try RunCalibration(run: run, validation: validation.dataset, method: config.calibration.method,
                               thresholdRule: config.thresholdRule, workers: config.workers).apply(recording: config)
    }
}
