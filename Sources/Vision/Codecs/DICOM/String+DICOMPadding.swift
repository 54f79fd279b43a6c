extension String {
    /// The string without leading and trailing spaces and NULs (DICOM's padding).
    func trimmingPadding() -> String {
        let isPadding: (Character) -> Bool = { $0 == " " || $0 == "\0" }
        guard let first = firstIndex(where: { !isPadding($0) }), let last = lastIndex(where: { !isPadding($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
