/// A parsed `Content-Type` value: the lowercased `type/subtype` and its parameters
/// (`boundary`, `charset`), with quotes removed.
struct MediaType: Equatable {
    /// `type/subtype`, lowercased.
    let essence: String
    /// Parameters by lowercased name.
    let parameters: [String: String]

    /// Parses `image/png` or `multipart/form-data; boundary="abc"`; `nil` when there is no
    /// `type/subtype`.
    init?(_ header: String) {
        var pieces = header.split(separator: ";", omittingEmptySubsequences: false).makeIterator()
        let essence = (pieces.next() ?? "").trimmingWhitespace().lowercased()
        let halves = essence.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty else { return nil }
        var parameters: [String: String] = [:]
        while let piece = pieces.next() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<equals].trimmingWhitespace().lowercased()
            var value = piece[piece.index(after: equals)...].trimmingWhitespace()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            parameters[name] = value
        }
        self.essence = essence
        self.parameters = parameters
    }

    /// Whether this is a PNG, JPEG (including the common non-standard `image/jpg`) or DICOM file.
    var isSupportedImage: Bool { ["image/png", "image/jpeg", "image/jpg", "image/pjpeg", "application/dicom"].contains(essence) }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
