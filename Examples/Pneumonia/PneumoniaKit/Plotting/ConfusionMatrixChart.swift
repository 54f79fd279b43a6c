import Foundation

/// A 2×2 confusion matrix drawn as a heat map with counts and row percentages.
public struct ConfusionMatrixChart: Sendable {
    /// Counts: `counts[actual][predicted]`.
    public var counts: [[Int]]
    /// Class names in index order.
    public var classNames: [String]
    /// Title above the matrix.
    public var title: String

    /// A chart of `counts` with the given class names.
    public init(counts: [[Int]], classNames: [String], title: String) {
        self.counts = counts; self.classNames = classNames; self.title = title
    }

    /// Draws the chart.
    public func render() -> Canvas {
        let n = classNames.count
        let cell = 150, left = 150, top = 70
        var canvas = Canvas(width: left + n * cell + 40, height: top + n * cell + 70)
        canvas.text(title, x: canvas.width / 2, y: 14, size: 16, alignX: 0.5)
        canvas.text("Predicted", x: left + n * cell / 2, y: 44, alignX: 0.5)
        canvas.text("Actual", x: 16, y: top + n * cell / 2, alignX: 0.5, vertical: true)
        let base = Color(0, 114, 178)
        for actual in 0..<n {
            let rowTotal = max(1, counts[actual].reduce(0, +))
            canvas.text(classNames[actual], x: left - 10, y: top + actual * cell + cell / 2, alignX: 1, centredVertically: true)
            for predicted in 0..<n {
                let value = counts[actual][predicted]
                let share = Double(value) / Double(rowTotal)
                let colour = Color.white.mixed(with: base, Float(0.08 + 0.85 * share))
                canvas.fill(x: left + predicted * cell + 1, y: top + actual * cell + 1, width: cell - 2, height: cell - 2, colour)
                let ink: Color = share > 0.55 ? .white : .ink
                let cx = left + predicted * cell + cell / 2, cy = top + actual * cell + cell / 2
                canvas.text("\(value)", x: cx, y: cy - 10, size: 16, color: ink, alignX: 0.5, centredVertically: true)
                canvas.text(String(format: "%.1f%% of row", share * 100), x: cx, y: cy + 14, color: ink, alignX: 0.5,
                            centredVertically: true)
            }
        }
        for predicted in 0..<n {
            canvas.text(classNames[predicted], x: left + predicted * cell + cell / 2, y: top + n * cell + 10, alignX: 0.5)
        }
        return canvas
    }
}
