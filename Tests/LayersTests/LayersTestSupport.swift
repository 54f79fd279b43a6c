import Foundation
import Serialization
import Tensor
import Testing

// Test support shared by the LayersTests suites: element access, a tolerance comparison, and
// the reader of the reference fixtures in `Fixtures/` (the gradient checks are FathomTestSupport's
// `checkGradient(s)` with `.relativeToLargest()`).

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
