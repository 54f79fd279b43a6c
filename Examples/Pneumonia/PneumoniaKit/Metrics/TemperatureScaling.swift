import Foundation

/// Temperature scaling (Guo et al. 2017) of the pneumonia probability: the log-odds divided by
/// one temperature `T` fitted on the validation split, so that a "0.8" means about 80 %
/// pneumonia among validation images scored 0.8.
///
/// For a two-class softmax the pneumonia log-odds is the logit difference, so dividing it by
/// `T` is exactly the paper's `softmax(logits / T)`. Fathom applies it to the log-odds of the
/// final probability (after averaging test-time views), which makes it a strictly increasing
/// map of the raw probability: ROC AUC and every decision are unchanged, and a threshold moves
/// between the two scales exactly (``calibrate(_:)``, ``uncalibrate(_:)``). 0.5 maps to 0.5.
///
/// Float probabilities saturate: a raw probability is clamped to [1e-7, 1 − 1e-7] (log-odds
/// ±16.1) before scaling.
public struct TemperatureScaling: Codable, Sendable, Equatable {
    /// The temperature: above 1 softens over-confident scores, below 1 sharpens under-confident ones.
    public var temperature: Double
    /// Mean negative log-likelihood on the fitting data before and after scaling.
    public var negativeLogLikelihoodBefore: Double, negativeLogLikelihoodAfter: Double
    /// Images the temperature was fitted on.
    public var count: Int

    /// The search range of the temperature. Perfectly separated validation data would drive
    /// the likelihood's optimum to T → 0 (certainty); the bound keeps a scaled score finite.
    public static let temperatureRange: ClosedRange<Double> = 0.05...20

    /// A scaling with a given temperature and no record of a fit (count and likelihoods 0).
    public init(temperature: Double) {
        self.temperature = temperature
        negativeLogLikelihoodBefore = 0
        negativeLogLikelihoodAfter = 0
        count = 0
    }

    /// The temperature minimizing the mean negative log-likelihood of `probabilities` (raw
    /// pneumonia probabilities) against `labels` (1 = pneumonia), within ``temperatureRange``.
    ///
    /// The likelihood is convex in 1/T (a logistic regression through the origin on the
    /// log-odds), so a golden-section search over 1/T finds the global optimum; 100 iterations
    /// narrow the bracket to 1e-20 of its width. Data of a single class has no finite optimum
    /// and keeps T = 1.
    public init(fittedTo labels: [Int], probabilities: [Float]) {
        precondition(labels.count == probabilities.count, "TemperatureScaling: \(labels.count) labels for \(probabilities.count) probabilities")
        let logOdds = probabilities.map(Self.logOdds)
        let positives = labels.filter { $0 == 1 }.count
        func loss(_ inverseTemperature: Double) -> Double {
            Self.meanNegativeLogLikelihood(labels: labels, logOdds: logOdds, scale: inverseTemperature)
        }
        var best = 1.0
        if positives > 0 && positives < labels.count {
            var low = 1 / Self.temperatureRange.upperBound, high = 1 / Self.temperatureRange.lowerBound
            let ratio = (5.0.squareRoot() - 1) / 2
            var a = high - ratio * (high - low), b = low + ratio * (high - low)
            var fa = loss(a), fb = loss(b)
            for _ in 0..<100 {
                if fa <= fb {
                    high = b; b = a; fb = fa
                    a = high - ratio * (high - low); fa = loss(a)
                } else {
                    low = a; a = b; fa = fb
                    b = low + ratio * (high - low); fb = loss(b)
                }
            }
            best = (low + high) / 2
        }
        temperature = 1 / best
        negativeLogLikelihoodBefore = loss(1)
        negativeLogLikelihoodAfter = loss(best)
        count = labels.count
    }

    /// The calibrated probability of a raw one.
    public func calibrate(_ probability: Float) -> Float {
        Float(Self.sigmoid(Self.logOdds(probability) / temperature))
    }

    /// The raw probability whose calibrated value is `probability` (the inverse of ``calibrate(_:)``
    /// within the clamping range), used to show a calibrated threshold on the raw scale.
    public func uncalibrate(_ probability: Float) -> Float {
        Float(Self.sigmoid(Self.logOdds(probability) * temperature))
    }

    /// log(p / (1 − p)) of a probability clamped to [1e-7, 1 − 1e-7].
    static func logOdds(_ probability: Float) -> Double {
        let p = min(max(Double(probability), 1e-7), 1 - 1e-7)
        return Foundation.log(p / (1 - p))
    }

    /// 1 / (1 + e^−x).
    static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

    /// Mean −log p(label) when the pneumonia log-odds are `logOdds · scale`, computed as
    /// log(1 + e^−m) with m the signed margin (stable for large margins).
    static func meanNegativeLogLikelihood(labels: [Int], logOdds: [Double], scale: Double) -> Double {
        var total = 0.0
        for (label, z) in zip(labels, logOdds) {
            let margin = (label == 1 ? z : -z) * scale
            total += margin > 0 ? Foundation.log1p(Foundation.exp(-margin)) : -margin + Foundation.log1p(Foundation.exp(margin))
        }
        return total / Double(max(labels.count, 1))
    }
}
