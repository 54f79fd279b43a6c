import Foundation

/// How well pneumonia probabilities match observed frequencies: of the X-rays given 0.8, are
/// about 80 % pneumonia? A reliability table over equal-width probability bins and the
/// expected calibration error (ECE) summarizing it.
public struct Calibration: Sendable, Equatable {
    /// One probability bin.
    public struct Bin: Sendable, Equatable {
        /// The bin's probability range (the last bin includes 1).
        public var range: ClosedRange<Double>
        /// Images whose probability falls in the bin.
        public var count: Int
        /// Their mean predicted probability (NaN when empty).
        public var meanProbability: Double
        /// The share of them that are pneumonia (NaN when empty).
        public var observedFrequency: Double
    }

    /// The bins, in order.
    public let bins: [Bin]
    /// Σ (count / n) · |observed − mean predicted| over the bins (Naeini et al. 2015).
    public let expectedCalibrationError: Double
    /// The largest |observed − mean predicted| of a non-empty bin.
    public let maximumCalibrationError: Double
    /// Mean negative log-likelihood of the labels (probabilities clamped to [1e-7, 1 − 1e-7]):
    /// a proper scoring rule, not binned, which temperature scaling minimizes on validation.
    public let logLoss: Double
    /// Mean squared difference between probability and label (Brier 1950).
    public let brierScore: Double

    /// The calibration of `probabilities` against `labels` (1 = pneumonia) in `binCount`
    /// equal-width bins.
    public init(labels: [Int], probabilities: [Float], binCount: Int = 10) {
        precondition(labels.count == probabilities.count, "Calibration: \(labels.count) labels for \(probabilities.count) probabilities")
        precondition(binCount > 0, "Calibration: need at least one bin")
        var counts = [Int](repeating: 0, count: binCount), positives = counts
        var sums = [Double](repeating: 0, count: binCount)
        for (label, p) in zip(labels, probabilities) {
            let value = min(max(Double(p), 0), 1)
            let bin = min(Int(value * Double(binCount)), binCount - 1)
            counts[bin] += 1
            sums[bin] += value
            if label == 1 { positives[bin] += 1 }
        }
        bins = (0..<binCount).map { b in
            Bin(range: Double(b) / Double(binCount)...Double(b + 1) / Double(binCount), count: counts[b],
                meanProbability: counts[b] > 0 ? sums[b] / Double(counts[b]) : .nan,
                observedFrequency: counts[b] > 0 ? Double(positives[b]) / Double(counts[b]) : .nan)
        }
        let filled = bins.filter { $0.count > 0 }
        let n = Double(max(labels.count, 1))
        expectedCalibrationError = filled.reduce(0) { $0 + Double($1.count) / n * abs($1.observedFrequency - $1.meanProbability) }
        maximumCalibrationError = filled.map { abs($0.observedFrequency - $0.meanProbability) }.max() ?? 0
        logLoss = Self.logLoss(labels: labels, probabilities: probabilities)
        brierScore = zip(labels, probabilities).reduce(0) { $0 + (Double($1.1) - Double($1.0)) * (Double($1.1) - Double($1.0)) } / n
    }

    /// Mean negative log-likelihood of `labels` (1 = pneumonia) under `probabilities`, each
    /// clamped to [1e-7, 1 − 1e-7] so that a confident mistake costs ln 10⁷, not infinity.
    public static func logLoss(labels: [Int], probabilities: [Float]) -> Double {
        var total = 0.0
        for (label, p) in zip(labels, probabilities) {
            let q = min(max(Double(p), 1e-7), 1 - 1e-7)
            total -= label == 1 ? Foundation.log(q) : Foundation.log(1 - q)
        }
        return total / Double(max(labels.count, 1))
    }

    /// The reliability diagram: observed frequency against mean predicted probability per
    /// non-empty bin, with the diagonal of perfect calibration.
    public func diagram(title: String) -> LineChart {
        let points = bins.filter { $0.count > 0 }.map { (x: $0.meanProbability, y: $0.observedFrequency) }
        var chart = LineChart(
            title: title, xLabel: "mean predicted probability of pneumonia (per bin)", yLabel: "observed share of pneumonia",
            series: [
                .init(label: String(format: "model (ECE %.3f, %d bins)", expectedCalibrationError, bins.count), points: points),
                .init(label: "perfectly calibrated", points: [(0, 0), (1, 1)], color: .muted, dashed: true),
            ],
            xRange: 0...1, yRange: 0...1)
        chart.width = 640
        chart.height = 600
        return chart
    }
}
