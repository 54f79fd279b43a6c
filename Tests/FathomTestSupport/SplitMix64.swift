/// SplitMix64 (Steele, Lea & Flood 2014): a tiny deterministic generator for test inputs —
/// corrupted bytes, random pixels —, so that a failure can be replayed from its seed.
///
/// Independent of the library's `RandomGenerator`: a change there must not change which
/// corruptions the robustness tests try.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state, advanced by every draw.
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `next() % bound`, in `0..<bound` (slightly biased for bounds that are not powers of two,
    /// which test inputs do not mind).
    public mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
