#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Half a cosine from `base` down to `minimum` over `steps` steps (PyTorch's
/// `CosineAnnealingLR`, closed form):
/// `minimum + (base − minimum) · (1 + cos(π · step / steps)) / 2`.
///
/// As in PyTorch, the cosine continues past `steps` (the rate rises again over the next
/// `steps` steps); size `steps` to the run.
public struct CosineAnnealing: LearningRateSchedule, Codable, Equatable {
    /// The rate at step 0.
    public var base: Float
    /// The number of steps from `base` to `minimum` (PyTorch's `T_max`).
    public var steps: Int
    /// The rate reached at `steps` (PyTorch's `eta_min`).
    public var minimum: Float

    /// A cosine annealing over `steps` steps.
    public init(base: Float, steps: Int, minimum: Float = 0) {
        precondition(steps > 0, "CosineAnnealing: steps must be positive, got \(steps)")
        self.base = base
        self.steps = steps
        self.minimum = minimum
    }

    /// `minimum + (base − minimum) · (1 + cos(π · step / steps)) / 2`.
    public func learningRate(at step: Int) -> Float {
        precondition(step >= 0, "CosineAnnealing: negative step \(step)")
        let low = Double(minimum)
        return Float(low + (Double(base) - low) * (1 + cos(Double.pi * Double(step) / Double(steps))) / 2)
    }
}
