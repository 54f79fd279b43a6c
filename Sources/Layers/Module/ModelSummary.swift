/// A table of a model's layers with their output shapes and parameter counts (Keras's
/// `model.summary()`, torchsummary's table), made by ``Module/summary(inputShape:)``.
///
/// `print(model.summary(inputShape: [1, 1, 128, 128]))` renders it.
public struct ModelSummary: Sendable, CustomStringConvertible {
    /// One called layer.
    public struct Row: Sendable, Equatable {
        /// The layer's dotted name in the model (`layer1.0.conv1`).
        public let name: String
        /// The layer's Swift type (`Conv2D`).
        public let type: String
        /// The shape of the tensor the layer returned.
        public let outputShape: [Int]
        /// The scalars in the parameters the layer owns directly (its sublayers have their own
        /// rows), so the column adds up to the total.
        public let parameterCount: Int
        /// How deeply the layer is nested (0 for a direct child of the model).
        public let depth: Int
    }

    /// The shape of the input the summary was made with.
    public let inputShape: [Int]
    /// The layers in call order (a layer called twice appears twice).
    public let rows: [Row]
    /// The scalars in all parameters of the model.
    public let totalParameters: Int
    /// The scalars in the trainable (not frozen) parameters.
    public let trainableParameters: Int

    /// The output shape of the first call of the layer named `name`, or `nil`.
    public func outputShape(of name: String) -> [Int]? {
        rows.first { $0.name == name }?.outputShape
    }

    /// The table, one line per layer, indented by nesting, with totals.
    public var description: String {
        let layerTitle = "Layer (type)", shapeTitle = "Output shape", countTitle = "Parameters"
        let labels = rows.map { String(repeating: "  ", count: $0.depth) + "\($0.name) (\($0.type))" }
        let shapes = rows.map { "[" + $0.outputShape.map(String.init).joined(separator: ", ") + "]" }
        let counts = rows.map { Self.grouped($0.parameterCount) }
        let labelWidth = max(layerTitle.count, labels.map(\.count).max() ?? 0)
        let shapeWidth = max(shapeTitle.count, shapes.map(\.count).max() ?? 0)
        let countWidth = max(countTitle.count, counts.map(\.count).max() ?? 0)
        func line(_ a: String, _ b: String, _ c: String) -> String {
            a.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "  "
                + b.padding(toLength: shapeWidth, withPad: " ", startingAt: 0) + "  "
                + String(repeating: " ", count: countWidth - c.count) + c
        }
        let width = labelWidth + shapeWidth + countWidth + 4
        var lines = [line(layerTitle, shapeTitle, countTitle), String(repeating: "-", count: width)]
        for i in rows.indices { lines.append(line(labels[i], shapes[i], counts[i])) }
        lines.append(String(repeating: "=", count: width))
        lines.append("Input shape: [" + inputShape.map(String.init).joined(separator: ", ") + "]")
        lines.append("Total parameters: \(Self.grouped(totalParameters))")
        lines.append("Trainable parameters: \(Self.grouped(trainableParameters))")
        lines.append("Frozen parameters: \(Self.grouped(totalParameters - trainableParameters))")
        return lines.joined(separator: "\n")
    }

    /// `11171266` → `11,171,266`.
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n.magnitude))
        var result = ""
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { result.append(",") }
            result.append(d)
        }
        return n < 0 ? "-" + result : result
    }
}
