import Foundation

/// A calibration of the pneumonia probability fitted on the validation split: the raw
/// probability's log-odds `z` becomes `z / T + b`, so that a "0.8" means about 80 % pneumonia
/// among validation images scored 0.8.
///
/// Two methods: **temperature scaling** (Guo et al. 2017; `b = 0`, one parameter) and **Platt
/// scaling** (Platt 1999; slope and intercept, a logistic regression on the log-odds). For a
/// two-class softmax the log-odds is the logit difference, so temperature scaling here is the
/// paper's `softmax(logits / T)`. Temperature scaling only sharpens or softens; Platt scaling also
/// moves the scores, which a model trained with class weights and heavy augmentation needs
/// (measured in README, "Calibrated probabilities").
///
/// Fathom applies it to the log-odds of the final probability (after averaging test-time
/// views), which makes it a strictly increasing map of the raw probability (`T > 0`): ROC AUC
/// and every decision are unchanged, and a threshold moves between the two scales exactly
/// (``calibrate(_:)``, ``uncalibrate(_:)``). Float probabilities saturate: a raw probability is
/// clamped to [1e-7, 1 − 1e-7] (log-odds ±16.1) first.
public struct ProbabilityCalibration: Codable, Sendable, Equatable {
    /// How the calibration was fitted.
    public enum Method: String, Codable, CaseIterable, Sendable {
        /// One temperature, no intercept.
        case temperature
        /// Slope (as a temperature) and intercept.
        case platt
    }

    /// The method.
    public var method: Method
    /// The log-odds are divided by this: above 1 softens over-confident scores, below 1 sharpens.
    public var temperature: Double
    /// Then this is added (0 for temperature scaling): positive moves every score up.
    public var intercept: Double
    /// Mean negative log-likelihood on the fitting data before and after calibration.
    public var negativeLogLikelihoodBefore: Double, negativeLogLikelihoodAfter: Double
    /// Images it was fitted on (0: given, not fitted).
    public var count: Int

    /// The range of the temperature. Perfectly separated validation data would drive the
    /// likelihood's optimum to T → 0 (certainty); the bound keeps a calibrated score finite.
    public static let temperatureRange: ClosedRange<Double> = 0.05...20
    /// The range of the intercept, for the same reason.
    public static let interceptRange: ClosedRange<Double> = -20...20

    /// A calibration with given parameters and no record of a fit (count and likelihoods 0).
    public init(temperature: Double, intercept: Double = 0) {
        method = intercept == 0 ? .temperature : .platt
        self.temperature = temperature
        self.intercept = intercept
        negativeLogLikelihoodBefore = 0
        negativeLogLikelihoodAfter = 0
        count = 0
    }

    /// The parameters minimizing the mean negative log-likelihood of `probabilities` (raw
    /// pneumonia probabilities) against `labels` (1 = pneumonia).
    ///
    /// The likelihood is convex in (1/T, b) — a logistic regression on the log-odds — so the
    /// optimum is global: temperature scaling by golden-section search over 1/T (100 steps narrow
    /// the bracket to 1e-20 of its width), Platt scaling by Newton's method with step halving
    /// from (1, 0), kept within ``temperatureRange`` and ``interceptRange``. Data of a single
    /// class has no finite optimum and keeps the raw scores (T = 1, b = 0).
    public init(_ method: Method, fittedTo labels: [Int], probabilities: [Float]) {
        precondition(labels.count == probabilities.count, "ProbabilityCalibration: \(labels.count) labels for \(probabilities.count) probabilities")
        let logOdds = probabilities.map(Self.logOdds)
        let positives = labels.filter { $0 == 1 }.count
        var slope = 1.0, intercept = 0.0
        if positives > 0 && positives < labels.count {
            switch method {
            case .temperature: slope = Self.bestSlope(labels: labels, logOdds: logOdds)
            case .platt: (slope, intercept) = Self.bestSlopeAndIntercept(labels: labels, logOdds: logOdds)
            }
        }
        self.method = method
        temperature = 1 / slope
        self.intercept = intercept
        negativeLogLikelihoodBefore = Self.meanNegativeLogLikelihood(labels: labels, logOdds: logOdds, slope: 1, intercept: 0)
        negativeLogLikelihoodAfter = Self.meanNegativeLogLikelihood(labels: labels, logOdds: logOdds, slope: slope, intercept: intercept)
        count = labels.count
    }

    /// The calibrated probability of a raw one.
    public func calibrate(_ probability: Float) -> Float {
        Float(Self.sigmoid(Self.logOdds(probability) / temperature + intercept))
    }

    /// The raw probability whose calibrated value is `probability` (the inverse of
    /// ``calibrate(_:)`` within the clamping range), to show a calibrated threshold on the raw scale.
    public func uncalibrate(_ probability: Float) -> Float {
        Float(Self.sigmoid((Self.logOdds(probability) - intercept) * temperature))
    }

    /// log(p / (1 − p)) of a probability clamped to [1e-7, 1 − 1e-7].
    static func logOdds(_ probability: Float) -> Double {
        let p = min(max(Double(probability), 1e-7), 1 - 1e-7)
        return Foundation.log(p / (1 - p))
    }

    /// 1 / (1 + e^−x).
    static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

    /// Mean −log p(label) when the pneumonia log-odds are `slope · z + intercept`, computed as
    /// log(1 + e^−m) with m the signed margin (stable for large margins).
    static func meanNegativeLogLikelihood(labels: [Int], logOdds: [Double], slope: Double, intercept: Double) -> Double {
        var total = 0.0
        for (label, z) in zip(labels, logOdds) {
            let t = slope * z + intercept
            let margin = label == 1 ? t : -t
            total += margin > 0 ? Foundation.log1p(Foundation.exp(-margin)) : -margin + Foundation.log1p(Foundation.exp(margin))
        }
        return total / Double(max(labels.count, 1))
    }

    /// The slope (1/T) minimizing the likelihood without intercept: golden-section search.
    static func bestSlope(labels: [Int], logOdds: [Double]) -> Double {
        func loss(_ s: Double) -> Double { meanNegativeLogLikelihood(labels: labels, logOdds: logOdds, slope: s, intercept: 0) }
        var low = 1 / temperatureRange.upperBound, high = 1 / temperatureRange.lowerBound
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
        return (low + high) / 2
    }

    /// Slope and intercept minimizing the likelihood: Newton's method on the 2×2 system, each
    /// step halved until the loss does not rise, stopped when the step is below 1e-12.
    static func bestSlopeAndIntercept(labels: [Int], logOdds: [Double]) -> (slope: Double, intercept: Double) {
        func loss(_ s: Double, _ b: Double) -> Double { meanNegativeLogLikelihood(labels: labels, logOdds: logOdds, slope: s, intercept: b) }
        let slopes = (1 / temperatureRange.upperBound)...(1 / temperatureRange.lowerBound)
        var s = 1.0, b = 0.0, current = loss(s, b)
        for _ in 0..<100 {
            // Gradient and Hessian of the summed loss in (s, b).
            var gs = 0.0, gb = 0.0, hss = 0.0, hsb = 0.0, hbb = 0.0
            for (label, z) in zip(labels, logOdds) {
                let p = sigmoid(s * z + b)
                let residual = p - Double(label), weight = p * (1 - p)
                gs += residual * z; gb += residual
                hss += weight * z * z; hsb += weight * z; hbb += weight
            }
            let determinant = hss * hbb - hsb * hsb
            guard determinant > 1e-300 else { break }
            var ds = -(hbb * gs - hsb * gb) / determinant, db = -(hss * gb - hsb * gs) / determinant
            var accepted = false
            for _ in 0..<40 {
                let ns = min(max(s + ds, slopes.lowerBound), slopes.upperBound)
                let nb = min(max(b + db, interceptRange.lowerBound), interceptRange.upperBound)
                let candidate = loss(ns, nb)
                if candidate <= current {
                    accepted = abs(ns - s) + abs(nb - b) > 1e-12
                    (s, b, current) = (ns, nb, candidate)
                    break
                }
                ds /= 2; db /= 2
            }
            if !accepted { break }
        }
        return (s, b)
    }
}
