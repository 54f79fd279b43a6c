import Foundation
import Vision

/// The last step of training, and `pneumonia calibrate`: fits the run's best model's
/// ``ProbabilityCalibration`` to its raw validation scores, applies the threshold rule on the
/// calibrated scale — the network's 0.5, Youden's J on validation, or Youden's J on the
/// validation images pooled over every ``AcquisitionShift`` (an operating point chosen where it
/// holds up when the export changes, rather than on clean images the model separates almost
/// perfectly at any threshold) — records the validation metrics at that threshold, and rewrites
/// the model and `run.json` atomically.
///
/// Calibration changes what a probability means, never a decision: Youden's J is unchanged by
/// an increasing map, and the `fixed` rule keeps the class-balanced network's raw 0.5 (its
/// equal-prior point), shown on the calibrated scale — still 0.5 under temperature scaling;
/// elsewhere under Platt scaling, whose intercept would otherwise move the decisions towards
/// validation's prevalence (measured: PneumoniaMNIST test specificity 0.885 → 0.662 with a
/// calibrated 0.5).
public struct RunCalibration {
    /// The run whose best model is calibrated.
    public let run: RunDirectory
    /// The validation images (the run's own split).
    public let validation: AnyDataset
    /// The calibration method; `nil` keeps raw scores.
    public let method: ProbabilityCalibration.Method?
    /// How the threshold is chosen.
    public let thresholdRule: ThresholdRule
    /// Data-loading threads.
    public let workers: Int
    private let log: (String) -> Void

    /// The step for `run`, scored on `validation`; `log` receives one line per result.
    public init(run: RunDirectory, validation: AnyDataset, method: ProbabilityCalibration.Method?, thresholdRule: ThresholdRule,
                workers: Int = 2, log: @escaping (String) -> Void = printFlushed) {
        self.run = run
        self.validation = validation
        self.method = method
        self.thresholdRule = thresholdRule
        self.workers = workers
        self.log = log
    }

    /// Fits, sets the threshold, saves, and returns the updated metadata (from `run.json`,
    /// with `configuration` recorded in place of the run's when given).
    public func apply(recording configuration: TrainingConfiguration? = nil) throws -> RunMetadata {
        let raw = try Classifier(run: run, calibrated: false)
        let (labels, rawProbabilities) = try raw.predict(validation, workers: workers)
        var updated = raw.metadata
        if let configuration { updated.configuration = configuration }
        updated.calibration = method.map { ProbabilityCalibration($0, fittedTo: labels, probabilities: rawProbabilities) }
        updated.thresholdRule = thresholdRule.summary
        let calibrated = Classifier(model: raw.model, metadata: updated)
        let probabilities = updated.calibration.map { rawProbabilities.map($0.calibrate) } ?? rawProbabilities
        var shifted: (report: EvaluationReport, count: Int)?
        switch thresholdRule {
        case .youden:
            updated.threshold = Trainer.youdenThreshold(labels, probabilities)
        case .shiftedYouden:
            let stress = try ShiftEvaluation(classifier: calibrated, dataset: validation, workers: workers)
            updated.threshold = Trainer.youdenThreshold(stress.pooledLabels, stress.pooledProbabilities)
            shifted = (stress.reports(at: updated.threshold).pooled, stress.shifted.count)
        case .fixed:
            updated.threshold = updated.calibration?.calibrate(0.5) ?? 0.5
        }
        let clean = EvaluationReport(labels: labels, scores: probabilities, threshold: updated.threshold)
        updated.validation["accuracy"] = clean.accuracy
        updated.validation["sensitivity"] = clean.recall
        updated.validation["specificity"] = clean.specificity
        updated.validation["f1"] = clean.f1
        updated.validation["ece"] = Calibration(labels: labels, probabilities: probabilities).expectedCalibrationError
        updated.validation["ece_uncalibrated"] = Calibration(labels: labels, probabilities: rawProbabilities).expectedCalibrationError
        updated.validation["shifted_sensitivity"] = shifted?.report.recall
        updated.validation["shifted_specificity"] = shifted?.report.specificity
        try run.save(raw.model, metadata: updated, to: run.bestModel)
        try run.writeMetadata(updated)

        if let c = updated.calibration {
            log(String(format: "calibration (%@ scaling): temperature %.3f, intercept %.3f on %d validation images (log loss %.4f → %.4f, ECE %.4f → %.4f)",
                       c.method.rawValue, c.temperature, c.intercept, c.count, c.negativeLogLikelihoodBefore, c.negativeLogLikelihoodAfter,
                       updated.validation["ece_uncalibrated"] ?? .nan, updated.validation["ece"] ?? .nan))
        } else {
            log("calibration: none (raw scores)")
        }
        if let shifted {
            log(String(format: "threshold %.3f: Youden's J on validation under %d acquisition shifts (sensitivity %.3f, specificity %.3f "
                       + "pooled; %.3f, %.3f unshifted)", updated.threshold, shifted.count, shifted.report.recall,
                       shifted.report.specificity, clean.recall, clean.specificity))
        } else {
            log(String(format: "threshold %.3f (%@): validation sensitivity %.3f, specificity %.3f", updated.threshold,
                       updated.thresholdRule, clean.recall, clean.specificity))
        }
        return updated
    }
}
