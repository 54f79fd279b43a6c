import Foundation
import Vision

/// A model's results on one dataset split: metrics at the run's threshold and at 0.5, and the
/// ROC curve, with the pictures `pneumonia evaluate` writes.
public struct Evaluation: Sendable {
    /// Metrics at the run's stored threshold.
    public let atThreshold: EvaluationReport
    /// Metrics at 0.5.
    public let atHalf: EvaluationReport
    /// Labels and pneumonia probabilities, in dataset order.
    public let labels: [Int], probabilities: [Float]
    /// The calibration of the probabilities (10 bins).
    public let calibration: Calibration

    /// Scores `classifier` on `dataset`.
    public init(classifier: Classifier, dataset: AnyDataset, workers: Int = 2, progress: ((Int) -> Void)? = nil) throws {
        let (labels, probabilities) = try classifier.predict(dataset, workers: workers, progress: progress)
        self.init(labels: labels, probabilities: probabilities, threshold: classifier.threshold)
    }

    /// The results of pneumonia `probabilities` against `labels` (1 = pneumonia) at a model's
    /// `threshold` and at 0.5.
    public init(labels: [Int], probabilities: [Float], threshold: Float) {
        self.labels = labels
        self.probabilities = probabilities
        atThreshold = EvaluationReport(labels: labels, scores: probabilities, threshold: threshold)
        atHalf = EvaluationReport(labels: labels, scores: probabilities, threshold: 0.5)
        calibration = Calibration(labels: labels, probabilities: probabilities)
    }

    /// The operating points the table shows: the run's threshold, and 0.5 when it differs.
    public var operatingPoints: [EvaluationReport] {
        atHalf.threshold == atThreshold.threshold ? [atThreshold] : [atThreshold, atHalf]
    }


    /// Confidence intervals of the metrics at the run's threshold (see ``ConfidenceIntervals``).
    public func confidenceIntervals(resamples: Int = 2000, seed: UInt64 = 0) -> ConfidenceIntervals {
        ConfidenceIntervals(labels: labels, scores: probabilities, threshold: atThreshold.threshold, resamples: resamples, seed: seed)
    }

    /// A text table with one column per distinct operating point, and the `intervals` of the
    /// run's operating point below it when given.
    public func table(title: String, intervals: ConfidenceIntervals? = nil) -> String {
        let points = operatingPoints
        func label(_ name: String) -> String { name.padding(toLength: 22, withPad: " ", startingAt: 0) }
        func row(_ name: String, _ metric: (EvaluationReport) -> Double) -> String {
            label(name) + points.map { String(format: "%10.4f", metric($0)) }.joined(separator: " ")
        }
        let t = atThreshold
        var lines = [title, "", label("") + points.map { String(format: "@%.3f", $0.threshold).leftPadded(to: 10) }.joined(separator: " ")]
        lines.append(row("accuracy") { $0.accuracy })
        lines.append(row("precision") { $0.precision })
        lines.append(row("recall (sensitivity)") { $0.recall })
        lines.append(row("specificity") { $0.specificity })
        lines.append(row("F1") { $0.f1 })
        lines.append(label("ROC AUC") + String(format: "%10.4f", t.auc))
        lines.append(label("PR AUC (avg. prec.)") + String(format: "%10.4f", t.averagePrecision))
        lines.append("")
        lines.append(String(format: "confusion @%.3f       predicted NORMAL  predicted PNEUMONIA", t.threshold))
        lines.append(String(format: "  actual NORMAL       %16d  %19d", t.confusion.tn, t.confusion.fp))
        lines.append(String(format: "  actual PNEUMONIA    %16d  %19d", t.confusion.fn, t.confusion.tp))
        lines.append("  n = \(t.n)")
        lines.append("")
        lines.append(String(format: "calibration: expected calibration error %.4f, largest bin error %.4f (10 bins); log loss %.4f, Brier %.4f",
                            calibration.expectedCalibrationError, calibration.maximumCalibrationError, calibration.logLoss,
                            calibration.brierScore))
        if let ci = intervals {
            func range(_ r: ClosedRange<Double>?) -> String {
                r.map { String(format: "%.4f – %.4f", $0.lowerBound, $0.upperBound) } ?? "undefined"
            }
            lines.append("")
            lines.append(String(format: "%.0f %% confidence intervals @%.3f (stratified bootstrap, %d resamples, seed %llu)",
                                ci.level * 100, t.threshold, ci.resamples, ci.seed))
            lines.append(label("accuracy") + range(ci.accuracy))
            lines.append(label("precision") + range(ci.precision))
            lines.append(label("recall (sensitivity)") + range(ci.sensitivity))
            lines.append(label("specificity") + range(ci.specificity))
            lines.append(label("F1") + range(ci.f1))
            lines.append(label("ROC AUC") + range(ci.auc) + "   (DeLong: " + range(ci.aucDeLong) + ")")
        }
        return lines.joined(separator: "\n")
    }

    /// The ROC curve with the operating point marked, the confusion matrix and the reliability
    /// diagram, as PNGs;
    /// `dataName` says what was scored ("test split", "folder xrays").
    /// With `intervals`, the title gives AUC's bootstrap interval.
    public func writePlots(roc: URL, confusion: URL, reliability: URL, dataName: String, intervals: ConfidenceIntervals? = nil) throws {
        let curve = (try? RankingMetrics.rocCurve(labels: labels, scores: probabilities)) ?? []
        let t = atThreshold
        let aucText = intervals.flatMap { ci in
            ci.auc.map { String(format: "AUC %.3f, %.0f %% CI %.3f–%.3f", t.auc, ci.level * 100, $0.lowerBound, $0.upperBound) }
        } ?? String(format: "AUC %.3f", t.auc)
        var chart = LineChart(
            title: String(format: "ROC curve — %@ (%@, n = %d)", dataName, aucText, t.n),
            xLabel: "false positive rate (1 − specificity)", yLabel: "true positive rate (sensitivity)",
            series: [
                .init(label: String(format: "model (AUC %.3f)", t.auc), points: curve.map { ($0.fpr, $0.tpr) }),
                .init(label: "chance", points: [(0, 0), (1, 1)], color: .muted, dashed: true),
                .init(label: String(format: "threshold %.2f: sens %.3f, spec %.3f", t.threshold, t.recall, t.specificity),
                      points: [(1 - t.specificity, t.recall)], color: Color(213, 94, 0)),
            ],
            xRange: 0...1, yRange: 0...1)
        chart.width = 640
        chart.height = 600
        try chart.render().writePNG(to: roc)
        try calibration.diagram(title: String(format: "Reliability — %@ (n = %d)", dataName, t.n)).render().writePNG(to: reliability)
        try ConfusionMatrixChart(counts: t.confusion.rows, classNames: ["NORMAL", "PNEUMONIA"],
                                 title: String(format: "Confusion matrix — %@, threshold %.2f", dataName, t.threshold))
            .render().writePNG(to: confusion)
    }
}

private extension String {
    /// The string right-aligned in `width` characters, like the `%10.4f` columns below it.
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
