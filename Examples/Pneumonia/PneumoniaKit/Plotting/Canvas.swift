import Foundation
import Vision

/// An RGB colour.
public struct Color: Sendable, Equatable {
    /// Channels in 0…255.
    public var r: UInt8, g: UInt8, b: UInt8
    /// A colour from its channels.
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }
    /// White.
    public static let white = Color(255, 255, 255)
    /// Near-black, for text and axes.
    public static let ink = Color(33, 37, 41)
    /// Light grey, for grid lines.
    public static let grid = Color(226, 230, 234)
    /// Mid grey, for reference lines and secondary text.
    public static let muted = Color(134, 142, 150)
    /// A colour-blind-safe palette (Okabe–Ito) for data series.
    public static let palette = [Color(0, 114, 178), Color(213, 94, 0), Color(0, 158, 115),
                                 Color(204, 121, 167), Color(230, 159, 0), Color(86, 180, 233)]

    /// Linear blend towards `other` by `t` in 0…1.
    func mixed(with other: Color, _ t: Float) -> Color {
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8(Float(a) + (Float(b) - Float(a)) * t + 0.5) }
        return Color(mix(r, other.r), mix(g, other.g), mix(b, other.b))
    }
}

/// A small raster canvas with anti-aliased lines and text: what the charts draw on, written
/// out through Fathom's own PNG encoder.
public struct Canvas: Sendable {
    /// Size in pixels.
    public let width: Int, height: Int
    /// RGB bytes, row-major.
    public private(set) var pixels: [UInt8]

    /// A canvas filled with `background`.
    public init(width: Int, height: Int, background: Color = .white) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            pixels[3 * i] = background.r; pixels[3 * i + 1] = background.g; pixels[3 * i + 2] = background.b
        }
    }

    /// Blends `color` into pixel (x, y) with opacity `alpha`.
    public mutating func blend(_ x: Int, _ y: Int, _ color: Color, alpha: Float = 1) {
        guard x >= 0, y >= 0, x < width, y < height, alpha > 0 else { return }
        let i = 3 * (y * width + x)
        let old = Color(pixels[i], pixels[i + 1], pixels[i + 2])
        let new = alpha >= 1 ? color : old.mixed(with: color, alpha)
        pixels[i] = new.r; pixels[i + 1] = new.g; pixels[i + 2] = new.b
    }

    /// Fills a rectangle.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ color: Color, alpha: Float = 1) {
        for yy in max(0, y)..<min(height, y + h) { for xx in max(0, x)..<min(width, x + w) { blend(xx, yy, color, alpha: alpha) } }
    }

    /// An anti-aliased line of the given thickness (coverage from the distance to the segment).
    public mutating func line(from a: (Double, Double), to b: (Double, Double), _ color: Color, thickness: Double = 1.5,
                              dashed: Bool = false) {
        let (x0, y0) = a, (x1, y1) = b
        let dx = x1 - x0, dy = y1 - y0
        let lengthSquared = max(dx * dx + dy * dy, 1e-12)
        let r = thickness / 2
        let minX = Int((min(x0, x1) - r - 1).rounded(.down)), maxX = Int((max(x0, x1) + r + 1).rounded(.up))
        let minY = Int((min(y0, y1) - r - 1).rounded(.down)), maxY = Int((max(y0, y1) + r + 1).rounded(.up))
        let length = lengthSquared.squareRoot()
        for y in max(0, minY)...max(0, min(height - 1, maxY)) {
            for x in max(0, minX)...max(0, min(width - 1, maxX)) {
                let px = Double(x) + 0.5, py = Double(y) + 0.5
                let t = min(1, max(0, ((px - x0) * dx + (py - y0) * dy) / lengthSquared))
                if dashed, Int(t * length / 5) % 2 == 1 { continue }
                let cx = x0 + t * dx - px, cy = y0 + t * dy - py
                let distance = (cx * cx + cy * cy).squareRoot()
                let coverage = min(1, max(0, r + 0.5 - distance))
                if coverage > 0 { blend(x, y, color, alpha: Float(coverage)) }
            }
        }
    }

    /// A polyline through `points`.
    public mutating func polyline(_ points: [(Double, Double)], _ color: Color, thickness: Double = 2, dashed: Bool = false) {
        for (a, b) in zip(points, points.dropFirst()) { line(from: a, to: b, color, thickness: thickness, dashed: dashed) }
    }

    /// Text anchored at (x, y): `alignX` 0 = left, 0.5 = centred, 1 = right; y is the top, or the
    /// vertical centre with `centredVertically`. `vertical` draws bottom-to-top (y-axis titles).
    public mutating func text(_ string: String, x: Int, y: Int, size: Int = 12, color: Color = .ink,
                              alignX: Double = 0, centredVertically: Bool = false, vertical: Bool = false) {
        let atlas = size >= 16 ? GlyphAtlas.dejaVuSans16 : GlyphAtlas.dejaVuSans12
        let w = atlas.width(of: string)
        let shift = Int(Double(w) * alignX)
        let top = centredVertically ? atlas.lineHeight / 2 : 0
        var copy = self
        atlas.render(string) { gx, gy, coverage in
            if vertical {
                copy.blend(x + gy - top, y + shift - gx, color, alpha: coverage)
            } else {
                copy.blend(x - shift + gx, y - top + gy, color, alpha: coverage)
            }
        }
        self = copy
    }

    /// Width of `string` in pixels at `size`.
    public func textWidth(_ string: String, size: Int = 12) -> Int {
        (size >= 16 ? GlyphAtlas.dejaVuSans16 : GlyphAtlas.dejaVuSans12).width(of: string)
    }

    /// The canvas as an 8-bit RGB image.
    public var image: Image { Image(width: width, height: height, colorModel: .rgb, pixels: pixels) }

    /// Encodes the canvas as PNG and writes it atomically.
    public func writePNG(to url: URL) throws {
        try image.write(to: url, format: .png)
    }
}

extension Canvas {
    /// Two canvases next to each other (the taller one sets the height).
    public static func sideBySide(_ a: Canvas, _ b: Canvas) -> Canvas {
        var result = Canvas(width: a.width + b.width, height: max(a.height, b.height))
        for (canvas, dx) in [(a, 0), (b, a.width)] {
            for y in 0..<canvas.height {
                let source = 3 * y * canvas.width, target = 3 * (y * result.width + dx)
                result.pixels.replaceSubrange(target..<(target + 3 * canvas.width),
                                              with: canvas.pixels[source..<(source + 3 * canvas.width)])
            }
        }
        return result
    }
}
