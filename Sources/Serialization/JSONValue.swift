import Foundation

/// Any JSON value, read with `JSONDecoder` and written back with `JSONEncoder`: for headers
/// whose types are checked one by one instead of trusted (safetensors), and for documents laid
/// over one another key by key.
///
/// ```swift
/// let header = try JSONDecoder().decode(JSONValue.self, from: data)
/// guard case let .object(entries) = header else { … }
/// ```
public enum JSONValue: Codable, Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A string.
    case string(String)
    /// An integer within `Int`'s range.
    case integer(Int)
    /// An integer above `Int.max` within `UInt64`'s range (a 64-bit seed, say), kept exact.
    case unsigned(UInt64)
    /// Any other number.
    case number(Double)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])

    /// Reads one value. Strings are tried before numbers, so that a decoder that reads
    /// non-finite numbers from strings ("nan") leaves them strings.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Each attempt fails at once on a type mismatch, so this costs no backtracking.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .unsigned(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Writes the value as it was read.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .integer(value): try container.encode(value)
        case let .unsigned(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }
}
