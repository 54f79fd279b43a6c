#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The base rate multiplied by `gamma` every `stepSize` steps (PyTorch's `StepLR`):
/// `base · gamma^⌊step / stepSize⌋`.
public struct StepDecay: LearningRateSchedule, Codable, Equatable {
    /// The rate at step 0.
    public var base: Float
    /// The number of steps between decays.
    public var stepSize: Int
    /// The multiplier applied at each decay.
    public var gamma: Float

    /// A step decay; PyTorch's default `gamma` is 0.1.
    public init(base: Float, stepSize: Int, gamma: Float = 0.1) {
        precondition(stepSize > 0, "StepDecay: stepSize must be positive, got \(stepSize)")
        self.base = base
        self.stepSize = stepSize
        self.gamma = gamma
    }

    /// `base · gamma^⌊step / stepSize⌋`.
    public func learningRate(at step: Int) -> Float {
        precondition(step >= 0, "StepDecay: negative step \(step)")
        return Float(Double(base) * pow(Double(gamma), Double(step / stepSize)))
    }
}
