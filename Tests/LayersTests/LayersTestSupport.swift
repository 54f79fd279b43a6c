import Foundation
import Layers
import Serialization
import Tensor
import Testing

// Test support shared by the LayersTests suites: finite differences over a model's
// parameters, element access, a tolerance comparison, and the reader of the reference fixtures
// in `Fixtures/` (the gradient checks of inputs are FathomTestSupport's `checkGradient(s)` with
// `.relativeToLargest()`).

/// Checks the gradient the tape gives every parameter of `model` for a weighted sum of
/// `output()` (fixed pseudo-random weights in ±1) against central finite differences over each
/// parameter scalar, computed in Double from Float evaluations with the parameter nudged in
/// place; records a failure at the caller for any scalar outside `2e-3 + 2e-2 · max(|tape|,
/// |numeric|)` or any parameter without a gradient. `output` may run the model any way (several
/// inputs, several outputs joined into one tensor).
func checkParameterGradients(of output: () -> Tensor, in model: Module, epsilon: Float = 1e-3,
                             sourceLocation: SourceLocation = #_sourceLocation) {
    let outputShape = withoutGradients { output() }.shape
    var rng = RandomGenerator(seed: 77)
    let weights = Tensor.uniform(outputShape, low: -1, high: 1, generator: &rng)
    func objective() -> Double {
        let y = withoutGradients { output() }
        return zip(y.scalars, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    model.zeroGradients()
    (output() * weights).sum().backward()
    for (name, parameter) in model.namedParameters() {
        guard let tape = parameter.grad?.scalars else {
            Issue.record("no gradient for \(name)", sourceLocation: sourceLocation)
            continue
        }
        for i in 0..<tape.count {
            let original = parameter.value.scalars[i]
            parameter.update { $0[i] = original + epsilon }
            let plus = objective()
            parameter.update { $0[i] = original - epsilon }
            let minus = objective()
            parameter.update { $0[i] = original }
            let numeric = (plus - minus) / (2 * Double(epsilon))
            let allowed = 2e-3 + 2e-2 * max(abs(numeric), abs(Double(tape[i])))
            #expect(abs(numeric - Double(tape[i])) <= allowed,
                    "\(name)[\(i)]: tape \(tape[i]), numeric \(numeric)", sourceLocation: sourceLocation)
        }
    }
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
