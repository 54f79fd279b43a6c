import Foundation
import PneumoniaKit
import Tensor
import Testing

/// Confidence intervals of `pneumonia evaluate`: DeLong against its definition summed pair by
/// pair, the percentile rule against NumPy's, and the bootstrap's behaviour.
@Suite("Confidence intervals")
struct ConfidenceIntervalsTests {
    /// Scores quantized to 20 levels so that ties across and within classes occur.
    static func scores(count: Int, shift: Float, seed: UInt64) -> [Float] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { _ in (min(max(generator.nextUnitFloat() * 0.7 + shift, 0), 1) * 20).rounded() / 20 }
    }

    /// DeLong's structural components by their definition: ψ(x, y) = 1, ½ or 0 as the positive
    /// scores above, level with or below the negative, averaged over the other class.
    @Test func deLongMatchesThePairwiseDefinition() throws {
        let positives = Self.scores(count: 37, shift: 0.25, seed: 1), negatives = Self.scores(count: 23, shift: 0, seed: 2)
        func psi(_ x: Float, _ y: Float) -> Double { x > y ? 1 : x == y ? 0.5 : 0 }
        let v10 = positives.map { x in negatives.map { psi(x, $0) }.reduce(0, +) / Double(negatives.count) }
        let v01 = negatives.map { y in positives.map { psi($0, y) }.reduce(0, +) / Double(positives.count) }
        func variance(_ v: [Double]) -> Double {
            let mean = v.reduce(0, +) / Double(v.count)
            return v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count - 1)
        }
        let auc = v10.reduce(0, +) / Double(v10.count)
        let se = (variance(v10) / Double(positives.count) + variance(v01) / Double(negatives.count)).squareRoot()
        let result = try #require(ConfidenceIntervals.deLong(positives: positives, negatives: negatives))
        #expect(abs(result.auc - auc) < 1e-12 && abs(result.standardError - se) < 1e-12)
        let labels = [Int](repeating: 1, count: 37) + [Int](repeating: 0, count: 23)
        #expect(abs(result.auc - (try RankingMetrics.rocAUC(labels: labels, scores: positives + negatives))) < 1e-12)
        #expect(auc > 0.6 && auc < 0.95, "the data must be neither trivial nor random for the test to mean much")
        #expect(ConfidenceIntervals.deLong(positives: positives, negatives: []) == nil)
    }

    /// NumPy: `np.percentile(np.arange(1, 11), [2.5, 97.5])` is `[1.225, 9.775]`.
    @Test func percentilesInterpolateLikeNumPy() throws {
        let interval = try #require(ConfidenceIntervals.percentileInterval((1...10).map(Double.init) + [.nan], level: 0.95))
        #expect(abs(interval.lowerBound - 1.225) < 1e-12 && abs(interval.upperBound - 9.775) < 1e-12)
        #expect(ConfidenceIntervals.percentileInterval([.nan], level: 0.95) == nil)
    }

    @Test func bootstrapIsRepeatableContainsTheEstimateAndAgreesWithDeLong() throws {
        let positives = Self.scores(count: 390, shift: 0.3, seed: 3), negatives = Self.scores(count: 234, shift: 0, seed: 4)
        let labels = [Int](repeating: 1, count: 390) + [Int](repeating: 0, count: 234), scores = positives + negatives
        let a = ConfidenceIntervals(labels: labels, scores: scores, threshold: 0.5, resamples: 500, seed: 9)
        let b = ConfidenceIntervals(labels: labels, scores: scores, threshold: 0.5, resamples: 500, seed: 9)
        let c = ConfidenceIntervals(labels: labels, scores: scores, threshold: 0.5, resamples: 500, seed: 10)
        #expect(a == b)
        #expect(a != c, "another seed resamples differently")
        let report = EvaluationReport(labels: labels, scores: scores, threshold: 0.5)
        let pairs: [(ClosedRange<Double>?, Double)] = [(a.accuracy, report.accuracy), (a.sensitivity, report.recall),
                                                       (a.specificity, report.specificity), (a.precision, report.precision),
                                                       (a.f1, report.f1), (a.auc, report.auc), (a.aucDeLong, report.auc)]
        for (interval, estimate) in pairs {
            let range = try #require(interval)
            #expect(range.contains(estimate) && range.upperBound - range.lowerBound > 0.005, "\(range) around \(estimate)")
        }
        // Both estimate the same sampling spread of the AUC.
        let bootstrapWidth = a.auc!.upperBound - a.auc!.lowerBound, deLongWidth = a.aucDeLong!.upperBound - a.aucDeLong!.lowerBound
        #expect(bootstrapWidth / deLongWidth > 0.8 && bootstrapWidth / deLongWidth < 1.25, "bootstrap \(bootstrapWidth), DeLong \(deLongWidth)")
        #expect(abs(ConfidenceIntervals.standardNormalQuantile(0.975) - 1.959963984540054) < 1e-9)
    }

    @Test func perfectSeparationGivesDegenerateIntervalsAndJSONHasEveryKey() {
        let labels = [1, 1, 1, 0, 0, 0], scores: [Float] = [0.9, 0.8, 0.7, 0.3, 0.2, 0.1]
        let ci = ConfidenceIntervals(labels: labels, scores: scores, threshold: 0.5, resamples: 50)
        #expect(ci.auc == 1...1 && ci.aucDeLong == 1...1 && ci.accuracy == 1...1)
        let keys = Set(ci.jsonObject.keys)
        #expect(keys.isSuperset(of: ["auc_ci", "auc_ci_delong", "accuracy_ci", "recall_ci", "specificity_ci", "precision_ci", "f1_ci"]))
    }
}

/// The reliability table and expected calibration error of `pneumonia evaluate`.
@Suite("Calibration")
struct CalibrationTests {
    /// Worked by hand: bins 0, 1, 8 and 9 hold 1, 2, 1 and 2 images with errors 0.05, 0.35,
    /// 0.15 and 0.45, so ECE = (0.05 + 2·0.35 + 0.15 + 2·0.45) / 6 = 0.3.
    @Test func expectedCalibrationErrorByHand() {
        let calibration = Calibration(labels: [0, 0, 1, 1, 1, 0], probabilities: [0.05, 0.15, 0.15, 0.85, 0.95, 0.95])
        #expect(abs(calibration.expectedCalibrationError - 0.3) < 1e-6)
        #expect(abs(calibration.maximumCalibrationError - 0.45) < 1e-6)
        #expect(calibration.bins.map(\.count) == [1, 2, 0, 0, 0, 0, 0, 0, 1, 2])
        #expect(calibration.bins[2].meanProbability.isNaN && calibration.bins[1].observedFrequency == 0.5)
        // Worked by hand: −(ln .95 + ln .85 + ln .15 + ln .85 + ln .95 + ln .05) / 6, and the squared errors.
        let logLoss = -(log(0.95) + log(0.85) + log(0.15) + log(0.85) + log(0.95) + log(0.05)) / 6
        #expect(abs(calibration.logLoss - logLoss) < 1e-6)
        #expect(abs(calibration.brierScore - (0.0025 + 0.0225 + 0.7225 + 0.0225 + 0.0025 + 0.9025) / 6) < 1e-6)
    }

    @Test func probabilityOneFallsInTheLastBinAndPerfectCalibrationScoresZero() {
        let calibration = Calibration(labels: [1, 1, 0, 0], probabilities: [1, 1, 0, 0], binCount: 4)
        #expect(calibration.bins.map(\.count) == [2, 0, 0, 2])
        #expect(calibration.expectedCalibrationError == 0 && calibration.maximumCalibrationError == 0)
    }
}
