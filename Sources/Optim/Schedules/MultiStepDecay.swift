#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The base rate multiplied by `gamma` at each milestone reached (PyTorch's `MultiStepLR`):
/// `base · gamma^(number of milestones ≤ step)`.
public struct MultiStepDecay: LearningRateSchedule, Codable, Equatable {
    /// The rate at step 0.
    public var base: Float
    /// The steps at which the rate decays, ascending (a repeated milestone decays twice, as in
    /// PyTorch).
    public var milestones: [Int]
    /// The multiplier applied at each milestone.
    public var gamma: Float

    /// A multi-step decay; PyTorch's default `gamma` is 0.1.
    public init(base: Float, milestones: [Int], gamma: Float = 0.1) {
        self.base = base
        self.milestones = milestones.sorted()
        self.gamma = gamma
    }

    /// `base · gamma^(number of milestones ≤ step)`.
    public func learningRate(at step: Int) -> Float {
        precondition(step >= 0, "MultiStepDecay: negative step \(step)")
        let passed = milestones.lazy.filter { $0 <= step }.count
        return Float(Double(base) * pow(Double(gamma), Double(passed)))
    }
}
