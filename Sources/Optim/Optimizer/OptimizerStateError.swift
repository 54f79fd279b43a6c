/// Why saved optimizer state could not be loaded. Every case names the offending entry.
public enum OptimizerStateError: Error, Sendable, Equatable {
    /// The metadata has no entry `key`.
    case missingMetadata(key: String)
    /// The metadata entry `key` is not the expected JSON.
    case malformedMetadata(key: String, reason: String)
    /// The state was saved by a different optimizer type.
    case optimizerMismatch(expected: String, found: String)
    /// The state has `found` parameter groups, the optimizer `expected`.
    case groupCountMismatch(expected: Int, found: Int)
    /// Group `group` of the state has `found` parameters, the optimizer's has `expected`.
    case parameterCountMismatch(group: Int, expected: Int, found: Int)
    /// The state tensor `key` is absent.
    case missingTensor(key: String)
    /// The state tensor `key` has shape `found`, its parameter has shape `expected`.
    case shapeMismatch(key: String, expected: [Int], found: [Int])
    /// The tensor `key` looks like optimizer state but belongs to no buffer of this optimizer.
    case unexpectedTensor(key: String)
}

extension OptimizerStateError: CustomStringConvertible {
    /// A one-line explanation naming the entry.
    public var description: String {
        switch self {
        case let .missingMetadata(key):
            return "optimizer state: metadata entry '\(key)' is missing"
        case let .malformedMetadata(key, reason):
            return "optimizer state: metadata entry '\(key)' is malformed: \(reason)"
        case let .optimizerMismatch(expected, found):
            return "optimizer state: saved by \(found), cannot load into \(expected)"
        case let .groupCountMismatch(expected, found):
            return "optimizer state: \(found) parameter groups saved, the optimizer has \(expected)"
        case let .parameterCountMismatch(group, expected, found):
            return "optimizer state: group \(group) has \(found) parameters saved, the optimizer's has \(expected)"
        case let .missingTensor(key):
            return "optimizer state: tensor '\(key)' is missing"
        case let .shapeMismatch(key, expected, found):
            return "optimizer state: tensor '\(key)' has shape \(found), its parameter has shape \(expected)"
        case let .unexpectedTensor(key):
            return "optimizer state: tensor '\(key)' matches no state buffer of this optimizer"
        }
    }
}
