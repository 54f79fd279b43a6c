#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The 1cycle policy (PyTorch's `OneCycleLR`): the rate climbs from `maximum / divisionFactor`
/// to `maximum` over the first `percentStart` of the run, then anneals to
/// `maximum / divisionFactor / finalDivisionFactor`.
///
/// With `threePhase`, it climbs, comes back down to the initial rate symmetrically, and only
/// then anneals to the final rate. Phase boundaries follow PyTorch exactly: phase one ends at
/// step `percentStart · totalSteps − 1`, and the last phase ends at `totalSteps − 1`. Momentum
/// cycling is not part of this schedule.
public struct OneCycle: LearningRateSchedule, Codable, Equatable {
    /// How a phase moves between its two rates.
    public enum Annealing: String, Codable, Sendable {
        /// `end + (start − end) · (1 + cos(π · pct)) / 2`.
        case cosine
        /// `start + (end − start) · pct`.
        case linear
    }

    /// The peak rate.
    public var maximum: Float
    /// The number of steps in the cycle (steps `0...totalSteps` are valid, as in PyTorch).
    public var totalSteps: Int
    /// The fraction of the cycle spent climbing.
    public var percentStart: Double
    /// The shape of each phase.
    public var annealing: Annealing
    /// The initial rate is `maximum / divisionFactor`.
    public var divisionFactor: Double
    /// The final rate is the initial rate divided by this.
    public var finalDivisionFactor: Double
    /// Whether to descend back to the initial rate before the final annealing.
    public var threePhase: Bool

    /// A one-cycle schedule with PyTorch's defaults.
    public init(maximum: Float, totalSteps: Int, percentStart: Double = 0.3, annealing: Annealing = .cosine,
                divisionFactor: Double = 25, finalDivisionFactor: Double = 1e4, threePhase: Bool = false) {
        precondition(totalSteps > 0, "OneCycle: totalSteps must be positive, got \(totalSteps)")
        precondition(percentStart >= 0 && percentStart <= 1, "OneCycle: percentStart must be in [0, 1], got \(percentStart)")
        self.maximum = maximum
        self.totalSteps = totalSteps
        self.percentStart = percentStart
        self.annealing = annealing
        self.divisionFactor = divisionFactor
        self.finalDivisionFactor = finalDivisionFactor
        self.threePhase = threePhase
    }

    /// The rate at `step`, in `0...totalSteps`.
    public func learningRate(at step: Int) -> Float {
        precondition(step >= 0 && step <= totalSteps,
                     "OneCycle: step \(step) is outside the cycle of \(totalSteps) steps")
        let peak = Double(maximum)
        let initial = peak / divisionFactor
        let final = initial / finalDivisionFactor
        let total = Double(totalSteps)
        let phases: [(end: Double, start: Double, target: Double)] = threePhase
            ? [(percentStart * total - 1, initial, peak),
               (2 * percentStart * total - 2, peak, initial),
               (total - 1, initial, final)]
            : [(percentStart * total - 1, initial, peak),
               (total - 1, peak, final)]
        var phaseStart = 0.0
        for (index, phase) in phases.enumerated() {
            if Double(step) <= phase.end || index == phases.count - 1 {
                let pct = (Double(step) - phaseStart) / (phase.end - phaseStart)
                return Float(anneal(from: phase.start, to: phase.target, pct))
            }
            phaseStart = phase.end
        }
        preconditionFailure("OneCycle: unreachable")
    }

    private func anneal(from start: Double, to end: Double, _ pct: Double) -> Double {
        switch annealing {
        case .cosine: return end + (start - end) / 2 * (cos(Double.pi * pct) + 1)
        case .linear: return (end - start) * pct + start
        }
    }
}
