import Foundation
import Tensor

/// 95 % (or `level`) confidence intervals of the metrics `pneumonia evaluate` reports, so that
/// a number measured on a few hundred X-rays comes with how much it could move on another few
/// hundred from the same population.
///
/// - Threshold metrics and ROC AUC: a **stratified bootstrap** — each resample draws the
///   positives and the negatives separately with replacement, keeping both counts (the
///   prevalence is a property of the test set, not a random quantity), and the interval is
///   the 2.5th–97.5th percentile of the resampled metric (linear interpolation between order
///   statistics, NumPy's default). A fixed seed makes it repeatable.
/// - ROC AUC also by **DeLong's method** (DeLong, DeLong & Clarke-Pearson 1988): the variance
///   of the Mann–Whitney statistic from its structural components, AUC ± z·SE clipped to 0…1,
///   as a cross-check that needs no resampling.
public struct ConfidenceIntervals: Sendable, Equatable, Codable {
    /// The coverage, e.g. 0.95.
    public var level: Double
    /// The number of bootstrap resamples.
    public var resamples: Int
    /// The seed of the resampling.
    public var seed: UInt64
    /// Bootstrap intervals; `nil` where the metric is undefined in every resample.
    public var accuracy, sensitivity, specificity, precision, f1, auc: ClosedRange<Double>?
    /// DeLong's interval for ROC AUC (`nil` with a single class).
    public var aucDeLong: ClosedRange<Double>?

    /// Intervals for `scores` (pneumonia probabilities) against `labels` (1 = pneumonia) at
    /// `threshold`.
    public init(labels: [Int], scores: [Float], threshold: Float, resamples: Int = 2000, level: Double = 0.95, seed: UInt64 = 0) {
        precondition(labels.count == scores.count, "ConfidenceIntervals: \(labels.count) labels for \(scores.count) scores")
        precondition(resamples > 0 && level > 0 && level < 1, "ConfidenceIntervals: need resamples > 0 and 0 < level < 1")
        (self.level, self.resamples, self.seed) = (level, resamples, seed)
        let positives = scores.indices.filter { labels[$0] == 1 }.map { scores[$0] }
        let negatives = scores.indices.filter { labels[$0] != 1 }.map { scores[$0] }
        var generator = RandomGenerator(seed: seed)
        var samples = [[Double]](repeating: [], count: 6)
        let resampledLabels = [Int](repeating: 1, count: positives.count) + [Int](repeating: 0, count: negatives.count)
        var resampledScores = [Float](repeating: 0, count: labels.count)
        for _ in 0..<resamples {
            for i in positives.indices { resampledScores[i] = positives[Int(generator.next() % UInt64(positives.count))] }
            for j in negatives.indices { resampledScores[positives.count + j] = negatives[Int(generator.next() % UInt64(negatives.count))] }
            let confusion = ConfusionMatrix(labels: resampledLabels, scores: resampledScores, threshold: threshold)
            let auc = (try? RankingMetrics.rocAUC(labels: resampledLabels, scores: resampledScores)) ?? .nan
            for (k, value) in [confusion.accuracy, confusion.recall, confusion.specificity, confusion.precision, confusion.f1, auc].enumerated() {
                samples[k].append(value)
            }
        }
        let intervals = samples.map { Self.percentileInterval($0, level: level) }
        (accuracy, sensitivity, specificity, precision, f1, auc) = (intervals[0], intervals[1], intervals[2], intervals[3], intervals[4], intervals[5])
        aucDeLong = Self.deLongInterval(positives: positives, negatives: negatives, level: level)
    }

    /// The central `level` interval of the finite values: their `(1 − level)/2` and
    /// `(1 + level)/2` quantiles, interpolated linearly between order statistics.
    public static func percentileInterval(_ values: [Double], level: Double) -> ClosedRange<Double>? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        func quantile(_ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
            return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
        }
        return quantile((1 - level) / 2)...quantile((1 + level) / 2)
    }

    /// ROC AUC and its standard error by DeLong's method, or `nil` without both classes.
    ///
    /// With midranks (ties share their mean rank), a positive's structural component is the
    /// share of negatives below it, `(rank among all − rank among positives) / n`, and a
    /// negative's is the share of positives above it; the AUC is their mean and its variance
    /// `S₁₀/m + S₀₁/n` with the components' sample variances.
    public static func deLong(positives: [Float], negatives: [Float]) -> (auc: Double, standardError: Double)? {
        let m = positives.count, n = negatives.count
        guard m > 0, n > 0 else { return nil }
        let all = midranks(positives + negatives), rankX = midranks(positives), rankY = midranks(negatives)
        let v10 = (0..<m).map { (all[$0] - rankX[$0]) / Double(n) }
        let v01 = (0..<n).map { 1 - (all[m + $0] - rankY[$0]) / Double(m) }
        let auc = v10.reduce(0, +) / Double(m)
        func sampleVariance(_ v: [Double]) -> Double {
            guard v.count > 1 else { return 0 }
            let mean = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)
        }
        return (auc, (sampleVariance(v10) / Double(m) + sampleVariance(v01) / Double(n)).squareRoot())
    }

    /// DeLong's AUC ± z·SE, clipped to 0…1.
    static func deLongInterval(positives: [Float], negatives: [Float], level: Double) -> ClosedRange<Double>? {
        guard let (auc, se) = deLong(positives: positives, negatives: negatives) else { return nil }
        let z = standardNormalQuantile((1 + level) / 2)
        return max(0, auc - z * se)...min(1, auc + z * se)
    }

    /// 1-based ranks of `values`, ties given the mean of the ranks they span.
    static func midranks(_ values: [Float]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }

    /// The standard normal quantile function by bisection on `erf` (exact to 1e-12).
    public static func standardNormalQuantile(_ p: Double) -> Double {
        var low = -10.0, high = 10.0
        for _ in 0..<100 {
            let mid = (low + high) / 2
            if 0.5 * (1 + erf(mid / 2.0.squareRoot())) < p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    /// The intervals as JSON values, keyed as `evaluate --json` prints them (`auc_ci`,
    /// `accuracy_ci`, …, each `[low, high]` or `null`).
    public var jsonObject: [String: Any] {
        func pair(_ range: ClosedRange<Double>?) -> Any { range.map { [$0.lowerBound, $0.upperBound] } ?? NSNull() }
        return ["accuracy_ci": pair(accuracy), "recall_ci": pair(sensitivity), "specificity_ci": pair(specificity),
                "precision_ci": pair(precision), "f1_ci": pair(f1), "auc_ci": pair(auc), "auc_ci_delong": pair(aucDeLong),
                "ci_level": level, "ci_resamples": resamples, "ci_seed": Double(seed)]
    }
}
