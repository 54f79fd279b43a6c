import FathomTestSupport
import Testing
import Tensor

/// Matrices and checks shared by the `LinearAlgebra*Tests` suites.
enum LinAlgTestSupport {
    /// Random matrices `batch + [n, n]` with normal entries plus n·I: far from singular, so
    /// finite differences of inverses and solves stay accurate in Float.
    static func wellConditioned(_ batch: [Int], n: Int, seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.normal(batch + [n, n], generator: &generator) + Tensor.eye(n) * Float(n)
    }

    /// Random matrices `shape` with standard normal entries.
    static func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = RandomGenerator(seed: seed)
        return Tensor.normal(shape, generator: &generator)
    }

    /// Random symmetric matrices `batch + [n, n]`.
    static func symmetric(_ batch: [Int], n: Int, seed: UInt64) -> Tensor {
        let m = random(batch + [n, n], seed: seed)
        return (m + m.transposed()) * 0.5
    }

    /// Random symmetric positive-definite matrices M·Mᵀ + n·I.
    static func positiveDefinite(_ batch: [Int], n: Int, seed: UInt64) -> Tensor {
        let m = random(batch + [n, n], seed: seed)
        return Tensor.matmul(m, m, transposingB: true) + Tensor.eye(n) * Float(n)
    }

    /// The identity broadcast to `batch + [n, n]`.
    static func identity(_ batch: [Int], n: Int) -> Tensor {
        Tensor.eye(n).expanded(to: batch + [n, n])
    }

    /// Matrices scaled column-wise: `m[..., i, j] · d[..., j]` (that is, m · diag(d)).
    static func scaledColumns(_ m: Tensor, _ d: Tensor) -> Tensor {
        m * d.unsqueezed(at: -2)
    }

    /// The tolerance of the linear-algebra gradient checks: a step of 1e-2 keeps the Float
    /// round-off of the objective small next to the difference it divides.
    static let gradientTolerance = GradientTolerance(epsilon: 1e-2, relative: 1e-2, absolute: 2e-3)

    /// `f` for ``checkGradients(of:at:checking:tolerance:_:sourceLocation:)``, which takes non-throwing
    /// functions: an error becomes a test issue and a NaN result, so the check fails instead
    /// of the process stopping.
    static func failingOnError(_ f: @escaping ([Tensor]) throws -> Tensor,
                               sourceLocation: SourceLocation = #_sourceLocation) -> ([Tensor]) -> Tensor {
        { inputs in
            do {
                return try f(inputs)
            } catch {
                Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
                return Tensor(Float.nan)
            }
        }
    }
}
