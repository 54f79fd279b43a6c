#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON coding of optimizer and scheduler metadata, in one place so that both agree.
///
/// Keys are sorted (the same state gives the same bytes) and non-finite floats are spelled as
/// strings (a plateau scheduler's best metric starts at infinity).
enum StateJSON {
    private static let infinity = "inf", negativeInfinity = "-inf", notANumber = "nan"

    /// `value` as a JSON string.
    static func encode<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: infinity, negativeInfinity: negativeInfinity, nan: notANumber)
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            preconditionFailure("StateJSON: cannot encode \(Value.self): \(error)")
        }
    }

    /// Decodes the metadata entry `key` of `metadata`.
    static func decode<Value: Decodable>(_ type: Value.Type, key: String,
                                         in metadata: [String: String]) throws(OptimizerStateError) -> Value {
        guard let text = metadata[key] else { throw .missingMetadata(key: key) }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: infinity, negativeInfinity: negativeInfinity, nan: notANumber)
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw .malformedMetadata(key: key, reason: "\(error)")
        }
    }
}
