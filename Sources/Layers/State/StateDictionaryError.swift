/// Why a state dictionary could not be loaded strictly.
public enum StateDictionaryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The dictionary from `source` (a file path, or `"<memory>"`) does not fit the model: the
    /// report lists the missing, unexpected and mis-shaped names. Nothing was loaded.
    case incompatible(source: String, report: LoadReport)

    /// Every offending name, with both shapes for mismatches.
    public var description: String {
        switch self {
        case let .incompatible(source, report):
            var lines = ["\(source): the state dictionary does not match the model; nothing was loaded"]
            if !report.missing.isEmpty {
                lines.append("missing keys (\(report.missing.count)): " + report.missing.joined(separator: ", "))
            }
            if !report.unexpected.isEmpty {
                lines.append("unexpected keys (\(report.unexpected.count)): " + report.unexpected.joined(separator: ", "))
            }
            for m in report.mismatched {
                lines.append("size mismatch for \(m.name): model has \(m.expected), dictionary has \(m.found)")
            }
            return lines.joined(separator: "\n")
        }
    }
}
