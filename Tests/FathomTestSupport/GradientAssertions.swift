import Tensor
import Testing

// Assertions over the library's gradient checker (``GradientCheck``: central finite
// differences of a randomly weighted sum of the output, accumulated in Double), shared by the
// gradient tests of every test target.

/// How a gradient comparison is made and when it passes: the finite-difference step, the
/// measure of the difference, and the seed of the output weights.
public struct GradientTolerance: Sendable {
    /// How the tape's gradient is compared with the central differences, input by input.
    public enum Measure: Sendable {
        /// Every element: `|tape − numeric| ≤ absolute + relative · max(|tape|, |numeric|)`
        /// (``GradientCheck/Comparison/failures(absolute:relative:)``).
        case elementwise(absolute: Double, relative: Double)
        /// The largest `|tape − numeric|` relative to the input's largest gradient magnitude
        /// (at least 1e-3) is at most the bound (``GradientCheck/Comparison/errorRelativeToLargest``):
        /// scale-free, for layer-level ops whose gradients span orders of magnitude.
        case relativeToLargest(Double)
    }

    /// The step added to and subtracted from each input element.
    public var epsilon: Float
    /// The measure and its bounds.
    public var measure: Measure
    /// The seed of the output weights; `nil`: ``GradientCheck``'s default.
    public var seed: UInt64?

    /// Element by element: each passes when `|tape − numeric| ≤ absolute + relative ·
    /// max(|tape|, |numeric|)`.
    public init(epsilon: Float = 1e-3, relative: Double = 1e-2, absolute: Double = 1e-3, seed: UInt64? = nil) {
        self.epsilon = epsilon
        measure = .elementwise(absolute: absolute, relative: relative)
        self.seed = seed
    }

    /// The worst element relative to the input's largest gradient magnitude, at most `bound`;
    /// the defaults (step 1e-2, seed 7) are those the layer tests have always used.
    public static func relativeToLargest(_ bound: Double = 1e-2, epsilon: Float = 1e-2, seed: UInt64? = 7) -> GradientTolerance {
        var tolerance = GradientTolerance(epsilon: epsilon, seed: seed)
        tolerance.measure = .relativeToLargest(bound)
        return tolerance
    }
}

/// Checks the tape gradients of `f` with respect to the inputs in `checking` (default: all;
/// the others, such as a loss's targets, are passed as they are) against central differences,
/// recording a failure at the caller for every input that gets no gradient or misses
/// `tolerance`; `context` opens the message.
public func checkGradients(
    of f: ([Tensor]) -> Tensor, at inputs: [Tensor], checking: [Int]? = nil,
    tolerance: GradientTolerance = GradientTolerance(), _ context: String = "checkGradient",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let comparisons = tolerance.seed.map { GradientCheck.compare(f, at: inputs, checking: checking, epsilon: tolerance.epsilon, seed: $0) }
        ?? GradientCheck.compare(f, at: inputs, checking: checking, epsilon: tolerance.epsilon)
    for comparison in comparisons {
        if let problem = comparison.problem {
            Issue.record("\(context): input \(comparison.input) of shape \(comparison.shape): \(problem)", sourceLocation: sourceLocation)
            continue
        }
        switch tolerance.measure {
        case .elementwise(let absolute, let relative):
            let failures = comparison.failures(absolute: absolute, relative: relative)
            if let worst = failures.first {
                Issue.record("""
                    \(context): input \(comparison.input) of shape \(comparison.shape): \(failures.count) element(s) off; worst is \
                    element \(worst.element), tape \(worst.tape) vs central difference \(worst.numeric)
                    """, sourceLocation: sourceLocation)
            }
        case .relativeToLargest(let bound):
            if !(comparison.errorRelativeToLargest.error <= bound) {
                Issue.record("\(context): \(comparison), above \(bound)", sourceLocation: sourceLocation)
            }
        }
    }
}

/// Checks the tape gradient of a one-input function `f` at `x`; see
/// ``checkGradients(of:at:checking:tolerance:_:sourceLocation:)``.
public func checkGradient(
    of f: (Tensor) -> Tensor, at x: Tensor, tolerance: GradientTolerance = GradientTolerance(),
    _ context: String = "checkGradient", sourceLocation: SourceLocation = #_sourceLocation
) {
    checkGradients(of: { f($0[0]) }, at: [x], tolerance: tolerance, context, sourceLocation: sourceLocation)
}

/// Checks the tape gradients of a two-input function `f` at `(a, b)` (binary ops, matmul); see
/// ``checkGradients(of:at:checking:tolerance:_:sourceLocation:)``.
public func checkGradient(
    of f: (Tensor, Tensor) -> Tensor, at a: Tensor, _ b: Tensor, tolerance: GradientTolerance = GradientTolerance(),
    _ context: String = "checkGradient", sourceLocation: SourceLocation = #_sourceLocation
) {
    checkGradients(of: { f($0[0], $0[1]) }, at: [a, b], tolerance: tolerance, context, sourceLocation: sourceLocation)
}
