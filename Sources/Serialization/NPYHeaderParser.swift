import Tensor

extension NPY {
    /// A value of the Python literal subset that `.npy` headers use.
    indirect enum Literal {
        case string(String)
        case bool(Bool)
        case integer(Int)
        case none
        /// A tuple or a list.
        case sequence([Literal])
        /// A dict, keys in file order.
        case dictionary([(key: String, value: Literal)])
    }

    /// Parses the header dictionary of a `.npy` file, e.g.
    /// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
    ///
    /// NumPy writes it with Python's `repr` and reads it with `ast.literal_eval`; this parser
    /// accepts the subset that can appear (strings without escapes, True/False/None,
    /// integers with an optional Python 2 `L` suffix, tuples, lists, dicts), with a nesting
    /// limit so that a hostile header cannot exhaust the stack.
    struct HeaderParser {
        private let text: [UInt8]
        private let file: String
        private var position = 0
        private static let maximumDepth = 16

        init(text: [UInt8], file: String) {
            self.text = text
            self.file = file
        }

        /// Parses the whole text as one literal followed only by whitespace.
        mutating func parse() throws -> Literal {
            let value = try parseValue(depth: 0)
            skipWhitespace()
            guard position == text.count else { throw failure("unexpected text after the dictionary") }
            return value
        }

        private func failure(_ reason: String) -> SerializationError {
            .malformedHeader(file: file, reason: "\(reason) at offset \(position) of the header dictionary")
        }

        private var current: UInt8? { position < text.count ? text[position] : nil }

        private mutating func skipWhitespace() {
            while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 }
        }

        private mutating func expect(_ byte: UInt8) throws {
            skipWhitespace()
            guard current == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
            position += 1
        }

        private mutating func parseValue(depth: Int) throws -> Literal {
            guard depth < Self.maximumDepth else { throw failure("nesting too deep") }
            skipWhitespace()
            guard let c = current else { throw failure("unexpected end") }
            switch c {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                return .string(try parseString())
            case UInt8(ascii: "{"):
                position += 1
                var entries: [(key: String, value: Literal)] = []
                while true {
                    skipWhitespace()
                    if current == UInt8(ascii: "}") { position += 1; return .dictionary(entries) }
                    guard case let .string(key) = try parseValue(depth: depth + 1) else { throw failure("dictionary key is not a string") }
                    try expect(UInt8(ascii: ":"))
                    entries.append((key, try parseValue(depth: depth + 1)))
                    skipWhitespace()
                    if current == UInt8(ascii: ",") { position += 1 } else { try expect(UInt8(ascii: "}")); return .dictionary(entries) }
                }
            case UInt8(ascii: "("), UInt8(ascii: "["):
                let close = c == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
                position += 1
                var elements: [Literal] = []
                while true {
                    skipWhitespace()
                    if current == close { position += 1; return .sequence(elements) }
                    elements.append(try parseValue(depth: depth + 1))
                    skipWhitespace()
                    if current == UInt8(ascii: ",") { position += 1 } else { try expect(close); return .sequence(elements) }
                }
            default:
                return try parseWord()
            }
        }

        private mutating func parseString() throws -> String {
            let quote = text[position]
            position += 1
            let start = position
            while let c = current, c != quote {
                // Descriptors and keys never need escapes; refusing them keeps this simple.
                guard c != UInt8(ascii: "\\") else { throw failure("escape sequences are not supported") }
                position += 1
            }
            guard current == quote else { throw failure("unterminated string") }
            let value = String(decoding: text[start..<position], as: UTF8.self)
            position += 1
            return value
        }

        /// An integer, True, False or None.
        private mutating func parseWord() throws -> Literal {
            let start = position
            while let c = current, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: "_")
                    || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                    || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "z")) {
                position += 1
            }
            var word = String(decoding: text[start..<position], as: UTF8.self)
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            case "None": return .none
            default:
                if word.hasSuffix("L") { word.removeLast() }  // Python 2 long: (3L, 4L).
                // Int(_:) returns nil on overflow instead of trapping.
                guard !word.isEmpty, let value = Int(word) else { throw failure("unexpected token '\(word)'") }
                return .integer(value)
            }
        }
    }
}
