/// A learning rate as a function of the step (or epoch) count: a small value that maps a
/// position to a rate and composes (``LinearWarmup`` wraps any schedule).
///
/// Schedules are closed forms, evaluated in Double and rounded once, never a product
/// accumulated step by step: the rate at step 10 000 does not depend on how the run got
/// there, and a resumed run gets exactly the rates of an uninterrupted one. Drive an optimizer
/// with `optimizer.learningRate = schedule.learningRate(at: optimizer.stepCount)` before each
/// step.
public protocol LearningRateSchedule: Sendable {
    /// The rate at `step` (0 for the first step).
    func learningRate(at step: Int) -> Float
}

extension LearningRateSchedule {
    /// The rate at `step` (MLX-style call syntax).
    public func callAsFunction(_ step: Int) -> Float { learningRate(at: step) }
}

/// The same rate at every step.
public struct ConstantSchedule: LearningRateSchedule, Codable, Equatable {
    /// The rate.
    public var rate: Float

    /// A schedule that always returns `rate`.
    public init(_ rate: Float) { self.rate = rate }

    /// `rate`, whatever the step.
    public func learningRate(at step: Int) -> Float { rate }
}
