extension Image {
    /// How image samples map to tensor values in `Tensor(image:colorModel:scale:)` and
    /// ``Image/init(tensor:bitDepth:scale:)``.
    public enum SampleScale: Sendable {
        /// Samples divided by the largest value at their bit depth: 0...1. The usual network input.
        case unit
        /// Samples as they are: 0...255 for 8-bit images, 0...65535 for 16-bit ones.
        case raw
    }
}
