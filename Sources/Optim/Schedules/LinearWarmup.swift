/// A linear ramp over the first `steps` steps into another schedule (PyTorch's `LinearLR`
/// followed by the next scheduler in a `SequentialLR`).
///
/// During the warmup the rate is `then(0) · (startFactor + (1 − startFactor) · step / steps)`;
/// afterwards it is `then(step − steps)`, so the wrapped schedule starts from its own step 0
/// when the warmup ends.
///
/// ```swift
/// let schedule = LinearWarmup(steps: 500, then: CosineAnnealing(base: 1e-3, steps: 9_500))
/// ```
public struct LinearWarmup<Then: LearningRateSchedule>: LearningRateSchedule {
    /// The length of the warmup.
    public var steps: Int
    /// The fraction of the wrapped schedule's initial rate used at step 0.
    public var startFactor: Float
    /// The schedule that follows the warmup.
    public var then: Then

    /// A warmup of `steps` steps from `startFactor` times the initial rate of `then` (PyTorch's
    /// `LinearLR` default start factor is 1/3).
    public init(steps: Int, startFactor: Float = 1.0 / 3.0, then: Then) {
        precondition(steps >= 0, "LinearWarmup: negative step count \(steps)")
        precondition(startFactor > 0 && startFactor <= 1, "LinearWarmup: startFactor must be in (0, 1], got \(startFactor)")
        self.steps = steps
        self.startFactor = startFactor
        self.then = then
    }

    /// The ramped initial rate of `then` during the warmup, `then` shifted by `steps` after.
    public func learningRate(at step: Int) -> Float {
        precondition(step >= 0, "LinearWarmup: negative step \(step)")
        guard step < steps else { return then.learningRate(at: step - steps) }
        let start = Double(startFactor)
        let factor = start + (1 - start) * Double(step) / Double(steps)
        return Float(Double(then.learningRate(at: 0)) * factor)
    }
}

extension LinearWarmup: Equatable where Then: Equatable {}
extension LinearWarmup: Codable where Then: Codable {}
