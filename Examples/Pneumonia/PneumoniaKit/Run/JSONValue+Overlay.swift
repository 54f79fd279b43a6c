import Foundation
import Serialization

// One JSON document laid over another: how a stored configuration fills in the keys it lacks
// from the defaults, and how command-line choices override it, without listing the keys.
extension JSONValue {
    /// What `value` encodes to, as a run directory writes it.
    init(encoding value: some Encodable) throws {
        self = try RunDirectory.decoder.decode(JSONValue.self, from: RunDirectory.encoder.encode(value))
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
