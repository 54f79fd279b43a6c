/// The taps of a separable resampling filter along one axis: for each output position, the
/// first source index and the weights of consecutive source pixels.
///
/// Bilinear resampling is a triangle filter of support 1 centred on the source coordinate
/// `(dst + 0.5) · scale − 0.5` (the half-pixel convention of PIL and PyTorch,
/// `align_corners=False`); taps outside the source are dropped and the rest renormalized,
/// which equals clamping the coordinate at the border. With antialiasing and `scale > 1`
/// (downscaling) the triangle is widened by `scale`, so every source pixel contributes, as in
/// PIL's `resize` and torchvision's `antialias=True`.
struct ResamplingTable {
    /// First source index (relative to the image, region offset included) per output.
    let starts: [Int]
    /// Taps per output, at most ``stride``.
    let counts: [Int]
    /// `outputCount × stride` weights; unused slots are zero.
    let weights: [Float]
    /// The weight slots reserved per output.
    let stride: Int

    /// Whether the table copies the source unchanged (same size, no offset), so the pass
    /// can be skipped.
    let isIdentity: Bool

    /// Taps mapping `sourceCount` pixels starting at `sourceOffset` onto `outputCount`.
    init(outputCount: Int, sourceOffset: Int, sourceCount: Int, interpolation: Interpolation, antialias: Bool) {
        let scale = Double(sourceCount) / Double(outputCount)
        switch interpolation {
        case .nearest:
            stride = 1
            counts = Array(repeating: 1, count: outputCount)
            weights = Array(repeating: 1, count: outputCount)
            starts = (0..<outputCount).map { dst in
                sourceOffset + min(Int((Double(dst) + 0.5) * scale), sourceCount - 1)
            }
        case .bilinear:
            let filterScale = antialias ? max(scale, 1) : 1
            let support = filterScale  // the triangle's support is 1 before widening
            stride = Int(support.rounded(.up)) * 2 + 1
            var starts = [Int](repeating: 0, count: outputCount)
            var counts = [Int](repeating: 0, count: outputCount)
            var weights = [Float](repeating: 0, count: outputCount * stride)
            var taps = [Double](repeating: 0, count: stride)
            for dst in 0..<outputCount {
                // PIL's precompute_coeffs: the centre in source pixel units, taps whose
                // centres fall within the support.
                let center = (Double(dst) + 0.5) * scale
                let first = max(Int(center - support + 0.5), 0)
                let count = min(Int(center + support + 0.5), sourceCount) - first
                var total = 0.0
                for k in 0..<count {
                    let distance = (Double(first + k) - center + 0.5) / filterScale
                    let w = max(0, 1 - abs(distance))
                    taps[k] = w
                    total += w
                }
                starts[dst] = sourceOffset + first
                counts[dst] = count
                for k in 0..<count { weights[dst * stride + k] = Float(total > 0 ? taps[k] / total : 0) }
            }
            (self.starts, self.counts, self.weights) = (starts, counts, weights)
        }
        // At scale 1 both filters put weight 1 on the pixel itself (the triangle's other taps
        // sit exactly one pixel away, where it is zero).
        isIdentity = sourceOffset == 0 && outputCount == sourceCount
    }
}
