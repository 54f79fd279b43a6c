import Tensor

extension SafeTensors {
    /// A JSON value, decoded with `JSONDecoder` so that the header's types can be checked
    /// one by one instead of trusted.
    enum JSON: Decodable {
        case null
        case bool(Bool)
        case integer(Int)
        /// A number that is not an integer within `Int`'s range.
        case number(Double)
        case string(String)
        case array([JSON])
        case object([String: JSON])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            // Each attempt fails at once on a type mismatch, so this costs no backtracking.
            if container.decodeNil() {
                self = .null
            } else if let value = try? container.decode(Bool.self) {
                self = .bool(value)
            } else if let value = try? container.decode(Int.self) {
                self = .integer(value)
            } else if let value = try? container.decode(Double.self) {
                self = .number(value)
            } else if let value = try? container.decode(String.self) {
                self = .string(value)
            } else if let value = try? container.decode([JSON].self) {
                self = .array(value)
            } else {
                self = .object(try container.decode([String: JSON].self))
            }
        }

        /// The integers of an array of integers, or `nil`.
        var integers: [Int]? {
            guard case let .array(elements) = self else { return nil }
            var result: [Int] = []
            result.reserveCapacity(elements.count)
            for element in elements {
                guard case let .integer(value) = element else { return nil }
                result.append(value)
            }
            return result
        }
    }

    /// `text` as a JSON string literal, quotes included.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let digits = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
