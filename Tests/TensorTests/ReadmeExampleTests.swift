import Tensor
import Testing

/// Keeps the autodiff example in README.md honest: the same lines, compiled and checked.
@Suite struct ReadmeExampleTests {
    @Test func autodiffExampleFromTheReadme() {
        // README: "Autodiff in ten lines"
        var generator = RandomGenerator(seed: 42)
        let x = Tensor.normal([64, 3], generator: &generator)            // inputs
        let y = x.matmul(Tensor([[2], [-1], [0.5]]))        // targets of a linear map
        let w = Parameter(Tensor.zeros([3, 1]))                          // the weights to learn
        for _ in 0..<200 {
            let loss = (x.matmul(w.value) - y).squared().mean()          // mean squared error
            loss.backward()                                              // fills w.grad
            w.update { weights in                                        // plain gradient descent
                w.grad!.withUnsafeBufferPointer { g in for i in 0..<3 { weights[i] -= 0.1 * g[i] } }
            }
            w.zeroGradient()
        }
        // README ends here: w.value ≈ [[2], [-1], [0.5]]
        #expect(w.value.isAlmostEqual(to: Tensor(shape: [3, 1], scalars: [2, -1, 0.5]), tolerance: 1e-3))
    }
}
