import Foundation

/// A line chart with axes, ticks, grid, title, axis titles and a legend: training curves and
/// ROC curves are both drawn with it.
public struct LineChart: Sendable {
    /// One data series.
    public struct Series: Sendable {
        /// Legend text.
        public var label: String
        /// Points in data coordinates.
        public var points: [(x: Double, y: Double)]
        /// Colour; defaults to the palette in series order.
        public var color: Color?
        /// Dashed lines mark references (chance level, thresholds).
        public var dashed: Bool
        /// A series.
        public init(label: String, points: [(x: Double, y: Double)], color: Color? = nil, dashed: Bool = false) {
            self.label = label; self.points = points; self.color = color; self.dashed = dashed
        }
    }

    /// Title above the plot.
    public var title: String
    /// Axis titles.
    public var xLabel: String, yLabel: String
    /// The series, drawn in order.
    public var series: [Series]
    /// Fixed axis ranges; `nil` fits the data.
    public var xRange: ClosedRange<Double>?, yRange: ClosedRange<Double>?
    /// Output size in pixels.
    public var width = 720, height = 480

    /// A chart.
    public init(title: String, xLabel: String, yLabel: String, series: [Series],
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
        self.xRange = xRange; self.yRange = yRange
    }

    /// Rounded tick values covering `range` (1, 2 or 5 times a power of ten apart).
    static func ticks(_ range: ClosedRange<Double>, target: Int = 6) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / Double(target)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var value = (range.lowerBound / step).rounded(.up) * step
        var result: [Double] = []
        while value <= range.upperBound + step * 1e-9 {
            result.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return result
    }

    /// A tick label with as few decimals as the step needs.
    static func format(_ value: Double, step: Double) -> String {
        let decimals = max(0, min(4, Int(-floor(log10(step)))))
        return String(format: "%.\(decimals)f", value)
    }

    /// A range around the data with a little headroom.
    private func fitted(_ values: [Double]) -> ClosedRange<Double> {
        guard let lo = values.min(), let hi = values.max(), lo.isFinite, hi.isFinite else { return 0...1 }
        if lo == hi { return (lo - 1)...(hi + 1) }
        let pad = (hi - lo) * 0.05
        return (lo - pad)...(hi + pad)
    }

    /// Draws the chart.
    public func render() -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let left = 72, right = width - 24, top = 48, bottom = height - 60
        let xr = xRange ?? fitted(series.flatMap { $0.points.map(\.x) })
        let yr = yRange ?? fitted(series.flatMap { $0.points.map(\.y) })
        func px(_ x: Double) -> Double { Double(left) + (x - xr.lowerBound) / (xr.upperBound - xr.lowerBound) * Double(right - left) }
        func py(_ y: Double) -> Double { Double(bottom) - (y - yr.lowerBound) / (yr.upperBound - yr.lowerBound) * Double(bottom - top) }

        canvas.text(title, x: width / 2, y: 14, size: 16, alignX: 0.5)
        let xt = Self.ticks(xr), yt = Self.ticks(yr)
        for (i, t) in xt.enumerated() {
            let x = px(t)
            canvas.line(from: (x, Double(top)), to: (x, Double(bottom)), .grid, thickness: 1)
            let step = xt.count > 1 ? xt[1] - xt[0] : 1
            canvas.text(Self.format(t, step: step), x: Int(x), y: bottom + 6, color: .muted, alignX: 0.5)
            _ = i
        }
        for t in yt {
            let y = py(t)
            canvas.line(from: (Double(left), y), to: (Double(right), y), .grid, thickness: 1)
            let step = yt.count > 1 ? yt[1] - yt[0] : 1
            canvas.text(Self.format(t, step: step), x: left - 8, y: Int(y), color: .muted, alignX: 1, centredVertically: true)
        }
        canvas.line(from: (Double(left), Double(bottom)), to: (Double(right), Double(bottom)), .ink, thickness: 1)
        canvas.line(from: (Double(left), Double(top)), to: (Double(left), Double(bottom)), .ink, thickness: 1)
        canvas.text(xLabel, x: (left + right) / 2, y: height - 26, alignX: 0.5)
        canvas.text(yLabel, x: 14, y: (top + bottom) / 2, alignX: 0.5, vertical: true)

        for (i, s) in series.enumerated() {
            let color = s.color ?? Color.palette[i % Color.palette.count]
            let points = s.points.filter { $0.x.isFinite && $0.y.isFinite }.map { (px($0.x), py($0.y)) }
            if points.count == 1 {
                canvas.fill(x: Int(points[0].0) - 2, y: Int(points[0].1) - 2, width: 5, height: 5, color)
            }
            canvas.polyline(points, color, thickness: s.dashed ? 1.5 : 2.25, dashed: s.dashed)
        }

        // Legend, top right inside the plot, on a white box so grid lines do not cross text.
        let labelled = series.enumerated().filter { !$0.element.label.isEmpty }
        if !labelled.isEmpty {
            let boxWidth = labelled.map { canvas.textWidth($0.element.label) }.max()! + 44
            let boxX = right - boxWidth - 8
            let boxY = top + 8
            canvas.fill(x: boxX, y: boxY, width: boxWidth, height: labelled.count * 20 + 8, .white, alpha: 0.92)
            for (row, (i, s)) in labelled.enumerated() {
                let color = s.color ?? Color.palette[i % Color.palette.count]
                let y = Double(boxY + 14 + row * 20)
                canvas.line(from: (Double(boxX + 8), y), to: (Double(boxX + 30), y), color, thickness: 2.25, dashed: s.dashed)
                canvas.text(s.label, x: boxX + 36, y: Int(y), alignX: 0, centredVertically: true)
            }
        }
        return canvas
    }
}
