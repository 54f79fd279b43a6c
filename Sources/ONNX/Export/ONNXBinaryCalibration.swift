/// A calibration of a two-class classifier's probabilities, exported after the softmax: the
/// positive class's probability `p` (clamped to [1e-7, 1 − 1e-7]) becomes
/// `σ(log(p / (1 − p)) / temperature + intercept)` and the other class's its complement —
/// temperature scaling (`intercept` 0) or Platt scaling on the log-odds, as the pneumonia
/// example fits them on validation.
public struct ONNXBinaryCalibration: Sendable, Equatable {
    /// The index of the positive class (0 or 1).
    public var positiveClass: Int
    /// The log-odds are divided by this.
    public var temperature: Float
    /// Then this is added.
    public var intercept: Float

    /// A calibration of class `positiveClass`'s probability.
    public init(positiveClass: Int, temperature: Float, intercept: Float) {
        self.positiveClass = positiveClass
        self.temperature = temperature
        self.intercept = intercept
    }
}

extension ONNXGraphBuilder {
    /// `probabilities` (`[N, 2]`) with `calibration` applied: Clip, the positive column by
    /// Gather, its log-odds (Log, Sub), scaled and shifted (Mul, Add), Sigmoid, and the
    /// complement Concat-ed back in class order.
    mutating func calibrated(_ probabilities: ONNXValue, _ calibration: ONNXBinaryCalibration) -> ONNXValue {
        precondition(probabilities.featureShape == [2], "calibration needs two classes, not \(probabilities.featureShape)")
        let low = sharedScalar("calibration_low", 1e-7), high = sharedScalar("calibration_high", 1 - 1e-7)
        let one = sharedScalar("one", 1)
        let clipped = node("Clip", [probabilities.name, low, high], featureShape: [2])
        let column = constant("calibration_class", int64s: [calibration.positiveClass])
        let p = node("Gather", [clipped.name, column], [.int("axis", 1)], featureShape: [1])
        let q = node("Sub", [one, p.name], featureShape: [1])
        let logOdds = node("Sub", [node("Log", [p.name], featureShape: [1]).name, node("Log", [q.name], featureShape: [1]).name],
                           featureShape: [1])
        let slope = sharedScalar("calibration_slope", 1 / calibration.temperature)
        let intercept = sharedScalar("calibration_intercept", calibration.intercept)
        let scaled = node("Add", [node("Mul", [logOdds.name, slope], featureShape: [1]).name, intercept], featureShape: [1])
        let positive = node("Sigmoid", [scaled.name], featureShape: [1])
        let negative = node("Sub", [one, positive.name], featureShape: [1])
        let ordered = calibration.positiveClass == 1 ? [negative.name, positive.name] : [positive.name, negative.name]
        return node("Concat", ordered, [.int("axis", 1)], featureShape: [2])
    }
}
