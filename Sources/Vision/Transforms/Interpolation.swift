/// How a resampling transform computes a pixel that falls between source pixels.
public enum Interpolation: Sendable, Hashable {
    /// The nearest source pixel, by pixel centres (PIL's `NEAREST`, PyTorch's
    /// `nearest-exact`; in warps, round half to even as `grid_sample`).
    case nearest
    /// Linear in each axis between the four nearest pixel centres (half-pixel convention,
    /// `align_corners=False`).
    case bilinear
}
