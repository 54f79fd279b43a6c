/// The naming rules of state-dictionary keys: PyTorch's snake_case, joined with dots.
enum StateName {
    /// `runningMean` → `running_mean`, `layer1` → `layer1`, `convBN` → `conv_bn`,
    /// `_convStem` → `_conv_stem`.
    static func snakeCase(_ label: String) -> String {
        let characters = Array(label)
        var result = ""
        for (i, c) in characters.enumerated() {
            if c.isUppercase, i > 0 {
                let previous = characters[i - 1]
                let nextIsLower = i + 1 < characters.count && characters[i + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) {
                    result.append("_")
                }
            }
            result.append(contentsOf: c.lowercased())
        }
        return result
    }

    /// `prefix.name`, skipping empty parts (an inlined property contributes no segment).
    static func join(_ prefix: String, _ name: String) -> String {
        if prefix.isEmpty { return name }
        if name.isEmpty { return prefix }
        return prefix + "." + name
    }
}
