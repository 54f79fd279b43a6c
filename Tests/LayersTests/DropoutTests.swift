import FathomTestSupport
import Layers
import Tensor
import Testing

@Suite("dropout")
struct DropoutTests {
    @Test("identity when not training or when the probability is 0")
    func identity() {
        var generator = RandomGenerator(seed: 1)
        let x = Tensor.uniform([4, 5], generator: &generator)
        let before = generator
        #expect(dropout(x, probability: 0.5, training: false, generator: &generator).scalars == x.scalars)
        #expect(dropout(x, probability: 0, training: true, generator: &generator).scalars == x.scalars)
        #expect(generator == before, "no random numbers are drawn")
    }

    @Test("zeroes about p of the scalars and scales the rest by 1 / (1 − p)")
    func inverted() {
        var generator = RandomGenerator(seed: 2)
        let x = Tensor.uniform([100_000], low: 1, high: 2, generator: &generator)
        let p: Float = 0.3
        let y = dropout(x, probability: p, training: true, generator: &generator)
        let (xs, ys) = (x.scalars, y.scalars)
        let dropped = ys.filter { $0 == 0 }.count
        // Binomial(100000, 0.3): standard deviation 0.00145, so 0.01 is about 7σ.
        #expect(abs(Double(dropped) / 100_000 - 0.3) < 0.01)
        let scale = 1 / (1 - p)
        #expect((0..<xs.count).allSatisfy { ys[$0] == 0 || ys[$0] == xs[$0] * scale })
        #expect(dropout(x, probability: 1, training: true, generator: &generator).scalars.allSatisfy { $0 == 0 })
    }

    @Test("a seed fixes the mask; the gradient uses the same mask and scale")
    func seededMaskAndGradient() throws {
        var a = RandomGenerator(seed: 3), b = RandomGenerator(seed: 3), c = RandomGenerator(seed: 4)
        let x = Tensor.uniform([3, 7], low: 1, high: 2, generator: &c)
        let first = dropout(x, probability: 0.4, training: true, generator: &a)
        #expect(first.scalars == dropout(x, probability: 0.4, training: true, generator: &b).scalars)
        #expect(first.scalars != dropout(x, probability: 0.4, training: true, generator: &c).scalars)

        checkGradient(of: { x in
            var generator = RandomGenerator(seed: 3)
            return dropout(x, probability: 0.4, training: true, generator: &generator)
        }, at: x, tolerance: .relativeToLargest())

        let leaf = x.requiringGradient()
        var generator = RandomGenerator(seed: 3)
        dropout(leaf, probability: 0.4, training: true, generator: &generator).sum().backward()
        let grad = try #require(leaf.grad).scalars
        for (g, y) in zip(grad, first.scalars) { #expect(g == (y == 0 ? 0 : 1 / (1 - 0.4 as Float))) }
    }
}
