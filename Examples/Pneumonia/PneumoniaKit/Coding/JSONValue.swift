import Foundation

/// A JSON document held as a value, so that one document can be laid over another: how a
/// stored configuration fills in its missing keys from the defaults, and how command-line
/// choices override it, without listing the keys.
enum JSONValue: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case string(String)
    case integer(Int64)
    case unsigned(UInt64)
    case number(Double)
    case array([JSONValue])
    case object([String: JSONValue])

    /// What `value` encodes to, as a run directory writes it.
    init(encoding value: some Encodable) throws {
        self = try RunDirectory.decoder.decode(JSONValue.self, from: RunDirectory.encoder.encode(value))
    }

    /// Reads any JSON value; integers stay exact (a `UInt64` seed does not pass through `Double`).
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Int64.self) {
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

    /// Writes the value back as it was read.
    func encode(to encoder: any Encoder) throws {
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

    /// `base` with this object's members in place of its own: each member that is not `null`
    /// replaces (or adds) the member of that name; `base`'s other members stay. Encoded and
    /// decoded as run directories are (non-finite numbers as strings).
    func applied<Value: Codable>(to base: Value) throws -> Value {
        guard case let .object(members) = self, case var .object(merged) = try JSONValue(encoding: base) else {
            throw DecodingError.typeMismatch([String: JSONValue].self, .init(codingPath: [], debugDescription: "expected an object"))
        }
        for (key, value) in members where value != .null { merged[key] = value }
        return try RunDirectory.decoder.decode(Value.self, from: RunDirectory.encoder.encode(JSONValue.object(merged)))
    }

}
