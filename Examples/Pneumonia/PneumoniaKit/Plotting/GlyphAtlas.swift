import Foundation

/// Anti-aliased glyphs for printable ASCII, rasterized ahead of time (see Tools/make_font.py),
/// so that plots carry readable text without a font library.
struct GlyphAtlas: Sendable {
    /// Pixel height of every glyph cell.
    let lineHeight: Int
    /// Pixels from the top of a cell to the baseline.
    let ascent: Int
    /// The code of the first glyph (space).
    let firstCharacter: Int
    /// Advance width of each glyph, which is also its cell width.
    let advances: [Int]
    /// Start of each glyph's coverage in `pixels`.
    private let offsets: [Int]
    /// Coverage 0…15 per pixel, glyph after glyph, row-major.
    private let pixels: [UInt8]

    init(lineHeight: Int, ascent: Int, firstCharacter: Int, advances: [Int], coverage: String) {
        self.lineHeight = lineHeight
        self.ascent = ascent
        self.firstCharacter = firstCharacter
        self.advances = advances
        let packed = [UInt8](Data(base64Encoded: coverage, options: .ignoreUnknownCharacters) ?? Data())
        var unpacked: [UInt8] = []
        var offsets: [Int] = []
        var position = 0
        // Each glyph was packed separately, padded to whole bytes.
        for width in advances {
            let count = width * lineHeight
            offsets.append(unpacked.count)
            for i in 0..<count {
                let byte = position + i / 2 < packed.count ? packed[position + i / 2] : 0
                unpacked.append(i % 2 == 0 ? byte >> 4 : byte & 15)
            }
            position += (count + 1) / 2
        }
        self.offsets = offsets
        self.pixels = unpacked
    }

    /// The index of a character's glyph (unknown characters become '?').
    private func glyph(_ c: Character) -> Int {
        // Typographic characters the atlas lacks fall back to their ASCII look-alikes.
        let fallback: [Character: UInt8] = ["—": 45, "–": 45, "−": 45, "×": 120, "…": 46, "’": 39, "“": 34, "”": 34]
        let code = c.asciiValue.map(Int.init) ?? fallback[c].map(Int.init) ?? 63
        let index = code - firstCharacter
        return index >= 0 && index < advances.count ? index : 63 - firstCharacter
    }

    /// The width of `text` in pixels.
    func width(of text: String) -> Int { text.reduce(0) { $0 + advances[glyph($1)] } }

    /// Calls `plot(x, y, coverage)` for every covered pixel of `text` drawn with its top-left
    /// corner at the origin.
    func render(_ text: String, _ plot: (Int, Int, Float) -> Void) {
        var x = 0
        for c in text {
            let g = glyph(c)
            let w = advances[g], base = offsets[g]
            for row in 0..<lineHeight {
                for col in 0..<w {
                    let v = pixels[base + row * w + col]
                    if v > 0 { plot(x + col, row, Float(v) / 15) }
                }
            }
            x += w
        }
    }
}
