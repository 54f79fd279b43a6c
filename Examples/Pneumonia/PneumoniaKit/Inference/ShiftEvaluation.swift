import Foundation
import Vision

/// A model's operating point on one split under each ``AcquisitionShift``: how far its
/// sensitivity and specificity at the stored threshold move when the same images are exported
/// differently. `pneumonia evaluate --shifts` prints it.
public struct ShiftEvaluation: Sendable {
    /// The scores of the unshifted images.
    public let clean: EvaluationReport
    /// One report per shift, in the order of the shifts given.
    public let shifted: [(name: String, report: EvaluationReport)]
    /// The labels of every image unshifted, then under each shift, concatenated.
    public let pooledLabels: [Int]
    /// The pneumonia probabilities matching ``pooledLabels``.
    public let pooledProbabilities: [Float]

    /// Scores `classifier` on `dataset` as it is and under each of `shifts`.
    public init(classifier: Classifier, dataset: AnyDataset, shifts: [AcquisitionShift] = AcquisitionShift.suite,
                workers: Int = 2) throws {
        let threshold = classifier.threshold
        var pooledLabels: [Int] = [], pooledProbabilities: [Float] = []
        func score(_ data: AnyDataset) throws -> EvaluationReport {
            let (labels, probabilities) = try classifier.predict(data, workers: workers)
            pooledLabels += labels
            pooledProbabilities += probabilities
            return EvaluationReport(labels: labels, scores: probabilities, threshold: threshold)
        }
        clean = try score(dataset)
        shifted = try shifts.map { shift in
            (shift.name, try score(AnyDataset(TransformedDataset(dataset, transform: shift))))
        }
        (self.pooledLabels, self.pooledProbabilities) = (pooledLabels, pooledProbabilities)
    }

    /// The metrics at another `threshold`: on the unshifted images, and on every image under
    /// every shift (and unshifted) pooled.
    public func reports(at threshold: Float) -> (clean: EvaluationReport, pooled: EvaluationReport) {
        let n = clean.n
        return (EvaluationReport(labels: Array(pooledLabels.prefix(n)), scores: Array(pooledProbabilities.prefix(n)), threshold: threshold),
                EvaluationReport(labels: pooledLabels, scores: pooledProbabilities, threshold: threshold))
    }

    /// The lowest sensitivity under any shift.
    public var worstSensitivity: Double { shifted.map(\.report.recall).min() ?? clean.recall }
    /// The lowest specificity under any shift.
    public var worstSpecificity: Double { shifted.map(\.report.specificity).min() ?? clean.specificity }
    /// The mean ROC AUC over the shifts.
    public var meanAUC: Double { shifted.isEmpty ? clean.auc : shifted.map(\.report.auc).reduce(0, +) / Double(shifted.count) }

    /// One row per shift: AUC, accuracy, sensitivity and specificity at the threshold, and the
    /// change of the last two from the clean images.
    public func table(title: String) -> String {
        func row(_ name: String, _ r: EvaluationReport) -> String {
            name.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: "%8.4f %8.3f %8.3f %8.3f %+8.3f %+8.3f", r.auc, r.accuracy, r.recall, r.specificity,
                         r.recall - clean.recall, r.specificity - clean.specificity)
        }
        var lines = [title, String(format: "threshold %.3f, n = %d", clean.threshold, clean.n), "",
                     "shift                AUC     acc     sens     spec    Δsens    Δspec", row("none", clean)]
        lines += shifted.map { row($0.name, $0.report) }
        lines.append("")
        lines.append(String(format: "worst sensitivity %.3f, worst specificity %.3f, mean AUC %.4f under the shifts",
                            worstSensitivity, worstSpecificity, meanAUC))
        return lines.joined(separator: "\n")
    }

    /// The results as JSON values: `clean`, `shifts` (name and report per shift) and the
    /// worst-case summary.
    public var jsonObject: [String: Any] {
        ["clean": clean.jsonObject,
         "shifts": shifted.map { ["name": $0.name, "report": $0.report.jsonObject] as [String: Any] },
         "worst_sensitivity": worstSensitivity, "worst_specificity": worstSpecificity, "mean_auc": meanAUC]
    }
}
