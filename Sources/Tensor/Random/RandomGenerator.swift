/// A seedable pseudo-random generator (xoshiro256** seeded through SplitMix64).
///
/// Every random tensor in Fathom draws from an explicit generator, sequentially, with integer
/// arithmetic only, so the same seed gives the same numbers on every machine and whatever the
/// number of threads. Copying the value forks the stream; ``split()`` derives an independent
/// stream (for worker threads and data augmentation).
public struct RandomGenerator: RandomNumberGenerator, Sendable, Hashable, Codable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose stream is fully determined by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform Float in [0, 1) with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A new generator for an independent stream, derived from this one's next output.
    public mutating func split() -> RandomGenerator {
        RandomGenerator(seed: next())
    }

    /// A generator for stream `index` of a family keyed by `seed` — e.g. one per
    /// (epoch, sample) — independent of any other state, so work can be done in any order.
    public static func stream(seed: UInt64, index: UInt64) -> RandomGenerator {
        RandomGenerator(seed: seed ^ (index &* 0xD1B5_4A32_D192_ED03) &+ 0x632B_E59B_D9B4_E019)
    }
}
