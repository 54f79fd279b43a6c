import Foundation
import Testing
import Tensor

/// `RandomGenerator` and the random tensors: reproducibility, independence of streams and
/// sample statistics within generous (five standard errors) bounds.
@Suite struct RandomTests {
    /// Sample mean and (population) variance, in Double.
    static func moments(_ t: Tensor) -> (mean: Double, variance: Double) {
        let values = t.scalars.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance)
    }

    static let sampleCount = 100_000

    @Test func generatorMatchesReferenceXoshiro256StarStar() {
        // Known answers from an independent implementation of SplitMix64 seeding followed by
        // xoshiro256** (Vigna's reference algorithm).
        var zero = RandomGenerator(seed: 0)
        #expect(zero.next() == 0x99EC_5F36_CB75_F2B4)
        #expect(zero.next() == 0xBF6E_1F78_4956_452A)
        #expect(zero.next() == 0x1A5F_849D_4933_E6E0)
        var answer = RandomGenerator(seed: 42)
        #expect(answer.next() == 0x1578_0B2E_0C2E_C716)
        #expect(answer.next() == 0x6104_D986_6D11_3A7E)
    }

    @Test func sameSeedSameNumbersDifferentSeedDifferentNumbers() {
        var a = RandomGenerator(seed: 1234), b = RandomGenerator(seed: 1234), c = RandomGenerator(seed: 1235)
        let ta = Tensor.normal([257], generator: &a)
        let tb = Tensor.normal([257], generator: &b)
        let tc = Tensor.normal([257], generator: &c)
        #expect(ta.scalars == tb.scalars)
        #expect(ta.scalars != tc.scalars)
        // The generators also end in the same state.
        #expect(a == b)
        #expect(a.next() == b.next())
    }

    @Test func everyKindOfSampleIsReproducible() {
        func draw(_ seed: UInt64) -> [[Float]] {
            var g = RandomGenerator(seed: seed)
            return [
                Tensor.uniform([33], low: -2, high: 5, generator: &g).scalars,
                Tensor.normal([33], mean: 1, standardDeviation: 2, generator: &g).scalars,
                Tensor.truncatedNormal([33], generator: &g).scalars,
                Tensor.bernoulli([33], probability: 0.4, generator: &g).scalars,
                Tensor.permutation(33, generator: &g).map(Float.init),
            ]
        }
        let first = draw(99), again = draw(99), other = draw(100)
        #expect(first == again)
        for kind in 0..<first.count { #expect(first[kind] != other[kind], "kind \(kind) ignores the seed") }
    }

    @Test func generationIsTheSameWhateverTheThreads() async {
        // Draws run concurrently on several tasks must equal the sequential draw: the stream
        // depends only on the generator's value, not on shared state or thread count.
        var reference = RandomGenerator(seed: 7)
        let expected = Tensor.normal([10_000], generator: &reference).scalars
        let results = await withTaskGroup(of: [Float].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var g = RandomGenerator(seed: 7)
                    return Tensor.normal([10_000], generator: &g).scalars
                }
            }
            return await group.reduce(into: [[Float]]()) { $0.append($1) }
        }
        #expect(results.count == 4)
        for r in results { #expect(r == expected) }
    }

    @Test func copiesForkAndSplitsAreIndependent() {
        var parent = RandomGenerator(seed: 5)
        var copy = parent
        #expect(parent.next() == copy.next())
        var child = parent.split()
        var sibling = parent.split()
        let streams = [parent.next(), child.next(), sibling.next()]
        #expect(Set(streams).count == 3)
        // Streams of a family are fixed by (seed, index) and differ across indices.
        var s0 = RandomGenerator.stream(seed: 11, index: 0), s0again = RandomGenerator.stream(seed: 11, index: 0)
        var s1 = RandomGenerator.stream(seed: 11, index: 1)
        let first = s0.next()
        #expect(first == s0again.next())
        #expect(first != s1.next())
    }

    @Test func unitFloatsAreInHalfOpenInterval() {
        var g = RandomGenerator(seed: 3)
        var minimum: Float = 1, maximum: Float = 0
        for _ in 0..<50_000 {
            let u = g.nextUnitFloat()
            let d = g.nextUnitDouble()
            #expect(u >= 0 && u < 1 && d >= 0 && d < 1)
            minimum = min(minimum, u)
            maximum = max(maximum, u)
        }
        #expect(minimum < 0.001 && maximum > 0.999)
    }

    @Test func uniformStatistics() {
        var g = RandomGenerator(seed: 21)
        let t = Tensor.uniform([Self.sampleCount], low: -1, high: 3, generator: &g)
        #expect(t.scalars.allSatisfy { $0 >= -1 && $0 < 3 })
        let (mean, variance) = Self.moments(t)
        // U(a, b): mean (a+b)/2 = 1, variance (b-a)²/12 = 4/3.
        let n = Double(Self.sampleCount)
        #expect(abs(mean - 1) < 5 * (4.0 / 3 / n).squareRoot())
        #expect(abs(variance - 4.0 / 3) < 0.02)
    }

    @Test func normalStatistics() {
        var g = RandomGenerator(seed: 22)
        let t = Tensor.normal([Self.sampleCount], mean: 2, standardDeviation: 3, generator: &g)
        let (mean, variance) = Self.moments(t)
        let n = Double(Self.sampleCount)
        #expect(abs(mean - 2) < 5 * 3 / n.squareRoot())
        // Var(s²) = 2σ⁴/n for a normal sample.
        #expect(abs(variance - 9) < 5 * 9 * (2 / n).squareRoot())
        // The share within one standard deviation is Φ(1) − Φ(−1) ≈ 0.6827.
        let inside = Double(t.scalars.filter { abs($0 - 2) < 3 }.count) / n
        #expect(abs(inside - 0.682_689) < 5 * (0.6827 * 0.3173 / n).squareRoot())
    }

    @Test func oddSizedNormalIsFilled() {
        var g = RandomGenerator(seed: 23)
        let t = Tensor.normal([3], generator: &g)
        #expect(t.scalars.allSatisfy { $0.isFinite })
        #expect(Set(t.scalars).count == 3)
    }

    @Test func truncatedNormalStatistics() {
        var g = RandomGenerator(seed: 24)
        let t = Tensor.truncatedNormal([Self.sampleCount], mean: -1, standardDeviation: 0.5, generator: &g)
        #expect(t.scalars.allSatisfy { $0 >= -2 && $0 <= 0 })
        let (mean, variance) = Self.moments(t)
        // A standard normal truncated to [−2, 2] has variance 1 − 2·2·φ(2) / (Φ(2) − Φ(−2)).
        let phi2 = exp(-2.0) / (2 * Double.pi).squareRoot()
        let mass = erf(2 / 2.0.squareRoot())
        let truncatedVariance = (1 - 4 * phi2 / mass) * 0.25
        let n = Double(Self.sampleCount)
        #expect(abs(mean + 1) < 5 * (truncatedVariance / n).squareRoot())
        #expect(abs(variance - truncatedVariance) / truncatedVariance < 0.02)
    }

    @Test func bernoulliStatistics() {
        var g = RandomGenerator(seed: 25)
        let t = Tensor.bernoulli([Self.sampleCount], probability: 0.3, generator: &g)
        #expect(t.scalars.allSatisfy { $0 == 0 || $0 == 1 })
        let n = Double(Self.sampleCount)
        #expect(abs(Self.moments(t).mean - 0.3) < 5 * (0.21 / n).squareRoot())
        #expect(Tensor.bernoulli([100], probability: 0, generator: &g).scalars.allSatisfy { $0 == 0 })
        #expect(Tensor.bernoulli([100], probability: 1, generator: &g).scalars.allSatisfy { $0 == 1 })
    }

    @Test func permutationIsUniformPermutation() {
        var g = RandomGenerator(seed: 26)
        #expect(Tensor.permutation(0, generator: &g).isEmpty)
        #expect(Tensor.permutation(1, generator: &g) == [0])
        let p = Tensor.permutation(100, generator: &g)
        #expect(p.sorted() == Array(0..<100))
        #expect(p != Array(0..<100))
        // Where element 0 lands in a permutation of 5 is uniform: 20 000 draws, 4 000 each.
        var counts = [Int](repeating: 0, count: 5)
        for _ in 0..<20_000 { counts[Tensor.permutation(5, generator: &g).firstIndex(of: 0)!] += 1 }
        let sd = (20_000.0 * 0.2 * 0.8).squareRoot()
        for c in counts { #expect(abs(Double(c) - 4000) < 5 * sd, "counts \(counts)") }
    }

    @Test func sizeZeroSamplesConsumeNothing() {
        var g = RandomGenerator(seed: 27)
        let before = g
        #expect(Tensor.uniform([0, 4], generator: &g).shape == [0, 4])
        #expect(Tensor.normal([0], generator: &g).scalarCount == 0)
        #expect(g == before)
    }
}
