/// Threshold-free measures of how well scores separate positives (label 1) from negatives.
public enum RankingMetrics {
    /// Errors for inputs on which a ranking metric is undefined.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// AUC needs at least one positive and one negative.
        case singleClass(positives: Int, negatives: Int)
        /// A score was NaN.
        case nanScore(index: Int)

        /// What was wrong.
        public var description: String {
            switch self {
            case let .singleClass(p, n):
                return "ROC/PR AUC is undefined with \(p) positive and \(n) negative examples: both classes are needed"
            case let .nanScore(i): return "score \(i) is NaN"
            }
        }
    }

    /// Points of the ROC curve (false positive rate, true positive rate) from (0,0) to (1,1),
    /// one per distinct score, so tied scores form a single diagonal step.
    public static func rocCurve(labels: [Int], scores: [Float]) throws(Failure) -> [(fpr: Double, tpr: Double, threshold: Float)] {
        let (positives, negatives) = try counts(labels, scores)
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var points: [(fpr: Double, tpr: Double, threshold: Float)] = [(0, 0, .infinity)]
        var tp = 0, fp = 0, i = 0
        while i < order.count {
            let score = scores[order[i]]
            while i < order.count && scores[order[i]] == score {
                if labels[order[i]] == 1 { tp += 1 } else { fp += 1 }
                i += 1
            }
            points.append((Double(fp) / Double(negatives), Double(tp) / Double(positives), score))
        }
        return points
    }

    /// The exact area under the ROC curve: the probability that a random positive scores
    /// above a random negative, ties counting one half (the Mann–Whitney U statistic).
    public static func rocAUC(labels: [Int], scores: [Float]) throws(Failure) -> Double {
        let curve = try rocCurve(labels: labels, scores: scores)
        var area = 0.0
        for (a, b) in zip(curve, curve.dropFirst()) { area += (b.fpr - a.fpr) * (a.tpr + b.tpr) / 2 }
        return area
    }

    /// Area under the precision–recall curve as average precision (the step-wise sum
    /// Σ (Rₙ − Rₙ₋₁) Pₙ over distinct thresholds, scikit-learn's definition; no interpolation,
    /// which would be optimistic).
    public static func averagePrecision(labels: [Int], scores: [Float]) throws(Failure) -> Double {
        let (positives, _) = try counts(labels, scores)
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var tp = 0, fp = 0, i = 0
        var previousRecall = 0.0, total = 0.0
        while i < order.count {
            let score = scores[order[i]]
            while i < order.count && scores[order[i]] == score {
                if labels[order[i]] == 1 { tp += 1 } else { fp += 1 }
                i += 1
            }
            let recall = Double(tp) / Double(positives)
            let precision = Double(tp) / Double(tp + fp)
            total += (recall - previousRecall) * precision
            previousRecall = recall
        }
        return total
    }

    private static func counts(_ labels: [Int], _ scores: [Float]) throws(Failure) -> (Int, Int) {
        precondition(labels.count == scores.count, "RankingMetrics: \(labels.count) labels for \(scores.count) scores")
        if let i = scores.firstIndex(where: \.isNaN) { throw .nanScore(index: i) }
        let positives = labels.filter { $0 == 1 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { throw .singleClass(positives: positives, negatives: negatives) }
        return (positives, negatives)
    }
}
