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

    /// Scores `classifier` on `dataset`.
    public init(classifier: Classifier, dataset: AnyDataset, workers: Int = 2, progress: ((Int) -> Void)? = nil) throws {
        let (labels, probabilities) = try classifier.predict(dataset, workers: workers, progress: progress)
        self.labels = labels
        self.probabilities = probabilities
        atThreshold = EvaluationReport(labels: labels, scores: probabilities, threshold: classifier.metadata.threshold)
        atHalf = EvaluationReport(labels: labels, scores: probabilities, threshold: 0.5)
    }

    /// A text table of both operating points.
    public func table(title: String) -> String {
        func row(_ name: String, _ a: Double, _ b: Double) -> String {
            name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "%10.4f %10.4f", a, b)
        }
        let t = atThreshold, h = atHalf
        var lines = [title, "",
                     "".padding(toLength: 22, withPad: " ", startingAt: 0)
                        + String(format: "%10@ %10@", String(format: "@%.3f", t.threshold) as NSString, "@0.500" as NSString)]
        lines.append(row("accuracy", t.accuracy, h.accuracy))
        lines.append(row("precision", t.precision, h.precision))
        lines.append(row("recall (sensitivity)", t.recall, h.recall))
        lines.append(row("specificity", t.specificity, h.specificity))
        lines.append(row("F1", t.f1, h.f1))
        lines.append(String(format: "%@%10.4f", "ROC AUC".padding(toLength: 22, withPad: " ", startingAt: 0), t.auc))
        lines.append(String(format: "%@%10.4f", "PR AUC (avg. prec.)".padding(toLength: 22, withPad: " ", startingAt: 0), t.averagePrecision))
        lines.append("")
        lines.append(String(format: "confusion @%.3f       predicted NORMAL  predicted PNEUMONIA", t.threshold))
        lines.append(String(format: "  actual NORMAL       %16d  %19d", t.confusion.tn, t.confusion.fp))
        lines.append(String(format: "  actual PNEUMONIA    %16d  %19d", t.confusion.fn, t.confusion.tp))
        lines.append("  n = \(t.n)")
        return lines.joined(separator: "\n")
    }

    /// The ROC curve with the operating point marked, and the confusion matrix, as PNGs.
    public func writePlots(roc: URL, confusion: URL, splitName: String) throws {
        let curve = (try? RankingMetrics.rocCurve(labels: labels, scores: probabilities)) ?? []
        let t = atThreshold
        var chart = LineChart(
            title: String(format: "ROC curve — %@ split (AUC %.3f, n = %d)", splitName, t.auc, t.n),
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
        try ConfusionMatrixChart(counts: t.confusion.rows, classNames: ["NORMAL", "PNEUMONIA"],
                                 title: String(format: "Confusion matrix — %@ split, threshold %.2f", splitName, t.threshold))
            .render().writePNG(to: confusion)
    }
}
