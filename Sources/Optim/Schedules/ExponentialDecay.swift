#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The base rate multiplied by `gamma` at every step (PyTorch's `ExponentialLR`):
/// `base · gamma^step`.
public struct ExponentialDecay: LearningRateSchedule, Codable, Equatable {
    /// The rate at step 0.
    public var base: Float
    /// The multiplier applied at each step.
    public var gamma: Float

    /// An exponential decay.
    public init(base: Float, gamma: Float) {
        self.base = base
        self.gamma = gamma
    }

    /// `base · gamma^step`.
    public func learningRate(at step: Int) -> Float {
        precondition(step >= 0, "ExponentialDecay: negative step \(step)")
        return Float(Double(base) * pow(Double(gamma), Double(step)))
    }
}
