/// Counts of a binary classifier's decisions: positive = pneumonia (label 1).
public struct ConfusionMatrix: Sendable, Equatable, Codable {
    /// True negatives, false positives, false negatives, true positives.
    public var tn = 0, fp = 0, fn = 0, tp = 0

    /// A matrix from its four counts.
    public init(tn: Int = 0, fp: Int = 0, fn: Int = 0, tp: Int = 0) {
        self.tn = tn; self.fp = fp; self.fn = fn; self.tp = tp
    }

    /// Counts of `scores ≥ threshold` against `labels` (0 or 1).
    public init(labels: [Int], scores: [Float], threshold: Float) {
        precondition(labels.count == scores.count, "ConfusionMatrix: \(labels.count) labels for \(scores.count) scores")
        for (label, score) in zip(labels, scores) {
            let predicted = score >= threshold
            switch (label == 1, predicted) {
            case (false, false): tn += 1
            case (false, true): fp += 1
            case (true, false): fn += 1
            case (true, true): tp += 1
            }
        }
    }

    /// All decisions.
    public var total: Int { tn + fp + fn + tp }
    /// Share of correct decisions.
    public var accuracy: Double { ratio(tp + tn, total) }
    /// Of those called positive, the share that are (positive predictive value).
    public var precision: Double { ratio(tp, tp + fp) }
    /// Of the positives, the share found (sensitivity, true positive rate).
    public var recall: Double { ratio(tp, tp + fn) }
    /// Of the negatives, the share called negative (true negative rate).
    public var specificity: Double { ratio(tn, tn + fp) }
    /// Harmonic mean of precision and recall.
    public var f1: Double { ratio(2 * tp, 2 * tp + fp + fn) }

    /// `a / b`, or NaN when `b` is 0 (the metric is undefined, not zero).
    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? .nan : Double(a) / Double(b) }

    /// `[[tn, fp], [fn, tp]]`, rows actual, columns predicted.
    public var rows: [[Int]] { [[tn, fp], [fn, tp]] }
}
