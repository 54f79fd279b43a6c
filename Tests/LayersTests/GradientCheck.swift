import Foundation
import Tensor
import Testing

// Test support shared by the LayersTests suites: a finite-difference gradient checker, a
// tolerance comparison, and the reader of the reference fixtures in `Fixtures/`.

// MARK: - Finite differences

/// The outcome of ``checkGradients(of:at:checking:epsilon:tolerance:seed:sourceLocation:)``
/// for one input: the largest disagreement between the tape's gradient and central finite
/// differences, relative to the largest gradient magnitude of that input.
struct GradientCheckResult: CustomStringConvertible {
    let input: Int
    let relativeError: Double
    let worstElement: Int
    let analytic: Double
    let numeric: Double

    var description: String {
        "input \(input): relative error \(relativeError) at element \(worstElement) (tape \(analytic), finite differences \(numeric))"
    }
}

/// Checks the gradients that `backward` gives for the inputs of `f` against central finite
/// differences, recording a test failure (at the caller) for any input whose relative error
/// exceeds `tolerance`.
///
/// The objective is `L = Σ f(inputs) ⊙ R` with `R` fixed pseudo-random weights in [−1, 1]
/// drawn from `seed`: unlike a plain sum, it gives every output element its own weight, so
/// errors that cancel across elements (softmax, normalization) cannot hide. The tape is seeded
/// with `R` directly; finite differences evaluate `L` in Double from Float forward passes, with
/// steps of `epsilon` on every element of every checked input.
///
/// - Parameters:
///   - f: the function under test, called with one tensor per entry of `inputs`.
///   - inputs: the point to check at.
///   - checking: indices of the inputs to differentiate (default: all); the others are passed
///     as they are (e.g. targets of a loss).
///   - tolerance: bound on `max |tape − numeric| / max(max |numeric|, max |tape|, 1e-3)`.
/// - Returns: one result per checked input.
@discardableResult
func checkGradients(of f: ([Tensor]) -> Tensor, at inputs: [Tensor], checking: [Int]? = nil,
                    epsilon: Float = 1e-2, tolerance: Double = 1e-2, seed: UInt64 = 7,
                    sourceLocation: SourceLocation = #_sourceLocation) -> [GradientCheckResult] {
    let checked = checking ?? Array(inputs.indices)
    var leaves = inputs.map { $0.detached() }
    for i in checked { leaves[i] = leaves[i].requiringGradient() }

    let output = f(leaves)
    var generator = RandomGenerator(seed: seed)
    let weights = Tensor.uniform(output.shape, low: -1, high: 1, generator: &generator)
    output.backward(weights)

    func objective(_ arguments: [Tensor]) -> Double {
        let y = withoutGradients { f(arguments) }
        return y.withUnsafeBufferPointer { y in
            weights.withUnsafeBufferPointer { r in
                var total = 0.0
                for i in 0..<y.count { total += Double(y[i]) * Double(r[i]) }
                return total
            }
        }
    }

    var results: [GradientCheckResult] = []
    for i in checked {
        guard let analytic = leaves[i].grad else {
            Issue.record("checkGradients: no gradient reached input \(i) of shape \(inputs[i].shape)", sourceLocation: sourceLocation)
            continue
        }
        #expect(analytic.shape == inputs[i].shape, "checkGradients: gradient shape of input \(i)", sourceLocation: sourceLocation)
        let tape = analytic.scalars
        var numeric = [Double](repeating: 0, count: inputs[i].scalarCount)
        var arguments = inputs.map { $0.detached() }
        let base = inputs[i].scalars
        for e in 0..<base.count {
            let up = base[e] + epsilon, down = base[e] - epsilon
            arguments[i][flat: e] = up
            let plus = objective(arguments)
            arguments[i][flat: e] = down
            let minus = objective(arguments)
            arguments[i][flat: e] = base[e]
            numeric[e] = (plus - minus) / (Double(up) - Double(down))
        }
        let scale = max(numeric.map(abs).max() ?? 0, tape.map { abs(Double($0)) }.max() ?? 0, 1e-3)
        var worst = GradientCheckResult(input: i, relativeError: 0, worstElement: 0, analytic: 0, numeric: 0)
        for e in 0..<tape.count {
            let error = abs(Double(tape[e]) - numeric[e]) / scale
            if error > worst.relativeError || error.isNaN {
                worst = GradientCheckResult(input: i, relativeError: error, worstElement: e,
                                            analytic: Double(tape[e]), numeric: numeric[e])
            }
        }
        #expect(worst.relativeError <= tolerance, "checkGradients: \(worst)", sourceLocation: sourceLocation)
        results.append(worst)
    }
    return results
}

/// The one-input form of ``checkGradients(of:at:checking:epsilon:tolerance:seed:sourceLocation:)``.
@discardableResult
func checkGradients(of f: (Tensor) -> Tensor, at input: Tensor, epsilon: Float = 1e-2,
                    tolerance: Double = 1e-2, seed: UInt64 = 7,
                    sourceLocation: SourceLocation = #_sourceLocation) -> GradientCheckResult? {
    checkGradients(of: { f($0[0]) }, at: [input], epsilon: epsilon, tolerance: tolerance, seed: seed,
                   sourceLocation: sourceLocation).first
}

extension Tensor {
    /// The scalar at a row-major offset (test support: perturbing one element at a time).
    subscript(flat offset: Int) -> Float {
        get { withUnsafeBufferPointer { $0[offset] } }
        set { withUnsafeMutableBufferPointer { $0[offset] = newValue } }
    }
}

// MARK: - Comparisons

/// Records a failure unless `actual` has `expected`'s shape and every scalar is within
/// `tolerance · max(1, |expected|)` of it.
func expectClose(_ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-4, _ context: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.shape == expected.shape else {
        Issue.record("\(context): shape \(actual.shape), expected \(expected.shape)", sourceLocation: sourceLocation)
        return
    }
    let a = actual.scalars, e = expected.scalars
    var worst = (index: -1, error: Float(0))
    for i in 0..<a.count {
        let error = abs(a[i] - e[i]) / max(1, abs(e[i]))
        if !(error <= worst.error) { worst = (i, error) }
    }
    #expect(worst.error <= tolerance,
            "\(context): element \(worst.index) is \(worst.index >= 0 ? a[worst.index] : 0), expected \(worst.index >= 0 ? e[worst.index] : 0)",
            sourceLocation: sourceLocation)
}

// MARK: - Reference fixtures

/// Reference values written by `Fixtures/make_fixtures.py` (NumPy loops following PyTorch's
/// formulas): `Fixtures/<op>.json` lists the cases with their arguments, `Fixtures/<op>.npz`
/// holds their arrays as `<case>.<array>`.
struct ReferenceFixtures<Case: Decodable & Sendable>: Sendable {
    /// The cases, in file order.
    let cases: [Case]
    private let archive: NPZArchive

    /// The directory of the fixtures, found from this source file's location.
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    /// Loads the fixtures of `op`; throws (failing the test) when the files are missing or
    /// unreadable.
    init(_ op: String) throws {
        let manifest = Self.directory.appendingPathComponent("\(op).json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase  // Python's names → Swift's
        cases = try decoder.decode([Case].self, from: Data(contentsOf: manifest))
        archive = try NPZArchive(contentsOf: Self.directory.appendingPathComponent("\(op).npz"))
    }

    /// The array `name` of case `caseName`, as a tensor.
    func tensor(_ caseName: String, _ name: String) throws -> Tensor {
        try archive.array(named: "\(caseName).\(name)").tensor()
    }

    /// Whether case `caseName` has an array `name`.
    func contains(_ caseName: String, _ name: String) -> Bool {
        archive.contains("\(caseName).\(name)")
    }
}
