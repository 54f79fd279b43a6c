/// What loading a state dictionary into a model matched and what it did not, by name.
///
/// Strict loading throws ``StateDictionaryError`` unless the report is complete; non-strict
/// loading (transfer learning: a new classifier, another input channel count) loads what
/// matches and returns the report so the caller can check that only the expected keys were
/// left out.
public struct LoadReport: Sendable, Equatable, CustomStringConvertible {
    /// A tensor whose name matched but whose shape did not.
    public struct ShapeMismatch: Sendable, Equatable {
        /// The state name.
        public let name: String
        /// The model's shape.
        public let expected: [Int]
        /// The dictionary's shape.
        public let found: [Int]

        /// A mismatch of `name`: `expected` in the model, `found` in the dictionary.
        public init(name: String, expected: [Int], found: [Int]) {
            self.name = name
            self.expected = expected
            self.found = found
        }
    }

    /// Names loaded into the model.
    public internal(set) var loaded: [String] = []
    /// Model names the dictionary lacks (left unchanged).
    public internal(set) var missing: [String] = []
    /// Dictionary names the model lacks (not used).
    public internal(set) var unexpected: [String] = []
    /// Names present in both with different shapes (left unchanged).
    public internal(set) var mismatched: [ShapeMismatch] = []
    /// Dictionary names skipped on purpose: PyTorch's `num_batches_tracked` counters, which
    /// Fathom's batch norm does not keep (its momentum is never cumulative).
    public internal(set) var ignored: [String] = []

    /// Whether every model tensor was loaded and every dictionary tensor used.
    public var isComplete: Bool { missing.isEmpty && unexpected.isEmpty && mismatched.isEmpty }

    /// A summary naming every key that did not load.
    public var description: String {
        var lines = ["loaded \(loaded.count) tensors"]
        if !missing.isEmpty { lines.append("missing from the dictionary: " + missing.joined(separator: ", ")) }
        if !unexpected.isEmpty { lines.append("not in the model: " + unexpected.joined(separator: ", ")) }
        for m in mismatched { lines.append("shape mismatch for \(m.name): model \(m.expected), dictionary \(m.found)") }
        if !ignored.isEmpty { lines.append("ignored: " + ignored.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}
