import Foundation

/// Everything `pneumonia evaluate` reports for one set of predictions.
public struct EvaluationReport: Sendable, Codable, Equatable {
    /// The decision threshold the headline metrics use.
    public var threshold: Float
    /// Number of images.
    public var n: Int
    /// Counts at `threshold`.
    public var confusion: ConfusionMatrix
    /// ROC AUC (NaN when only one class is present).
    public var auc: Double
    /// Average precision (area under the precision–recall curve).
    public var averagePrecision: Double

    /// Metrics of `scores` (pneumonia probabilities) against `labels` at `threshold`.
    public init(labels: [Int], scores: [Float], threshold: Float) {
        self.threshold = threshold
        n = labels.count
        confusion = ConfusionMatrix(labels: labels, scores: scores, threshold: threshold)
        auc = (try? RankingMetrics.rocAUC(labels: labels, scores: scores)) ?? .nan
        averagePrecision = (try? RankingMetrics.averagePrecision(labels: labels, scores: scores)) ?? .nan
    }

    /// Share of correct decisions.
    public var accuracy: Double { confusion.accuracy }
    /// Positive predictive value.
    public var precision: Double { confusion.precision }
    /// Sensitivity.
    public var recall: Double { confusion.recall }
    /// True negative rate.
    public var specificity: Double { confusion.specificity }
    /// F1 score.
    public var f1: Double { confusion.f1 }

    /// The JSON object `evaluate --json` prints: accuracy, precision, recall, specificity, f1,
    /// auc, pr_auc, confusion {tn, fp, fn, tp}, threshold, n. Undefined metrics are `null`.
    public var jsonObject: [String: Any] {
        func number(_ v: Double) -> Any { v.isFinite ? v : NSNull() }
        return ["accuracy": number(accuracy), "precision": number(precision), "recall": number(recall),
                "specificity": number(specificity), "f1": number(f1), "auc": number(auc),
                "pr_auc": number(averagePrecision), "threshold": Double(threshold), "n": n,
                "confusion": ["tn": confusion.tn, "fp": confusion.fp, "fn": confusion.fn, "tp": confusion.tp]]
    }
}
