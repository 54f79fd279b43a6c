import Optim
import Tensor
import Testing

/// Each optimizer minimizes two functions built from Tensor ops, with gradients from the tape:
/// a convex, ill-conditioned quadratic and the Rosenbrock function.
@Suite("Optimizers minimize test functions")
struct OptimizerConvergenceTests {
    /// A test problem: the starting point, the minimizer, and the objective as Tensor ops.
    struct Problem: Sendable {
        let start: [Float]
        let minimizer: [Float]
        let objective: @Sendable (Tensor) -> Tensor

        /// f(x) = Σ aᵢ(xᵢ − cᵢ)², a = (1, 5, 20): condition number 20, minimum at c.
        static let quadratic = Problem(start: [0, 0, 0], minimizer: [1, -2, 0.5]) { x in
            let d = x - Tensor([1, -2, 0.5])
            return (Tensor([1, 5, 20]) * d * d).sum()
        }

        /// f(x, y) = (1 − x)² + 100(y − x²)², from the classic start (−1.2, 1); minimum at (1, 1).
        static let rosenbrock = Problem(start: [-1.2, 1], minimizer: [1, 1]) { v in
            let x = v.slice(alongAxis: 0, start: 0, end: 1)
            let y = v.slice(alongAxis: 0, start: 1, end: 2)
            return ((1 - x).squared() + 100 * (y - x.squared()).squared()).sum()
        }
    }

    /// Runs `steps` updates and returns the largest distance to the minimizer per coordinate.
    func minimize(_ problem: Problem, steps: Int, schedule: (any LearningRateSchedule)? = nil,
                  _ makeOptimizer: ([Parameter]) -> any Optimizer) -> Float {
        let parameter = Parameter(Tensor(problem.start))
        let optimizer = makeOptimizer([parameter])
        for step in 0..<steps {
            if let schedule { optimizer.learningRate = schedule.learningRate(at: step) }
            problem.objective(parameter.value).backward()
            optimizer.step()
            optimizer.zeroGradients()
        }
        return zip(parameter.value.scalars, problem.minimizer).map { abs($0 - $1) }.max()!
    }

    // Tolerance: every coordinate within 1e-3 of the minimizer for the quadratic, within 1e-2
    // for Rosenbrock (its curved valley is flat along the bottom).

    @Test func sgdVariants() {
        #expect(minimize(.quadratic, steps: 300) { SGD(parameters: $0, learningRate: 0.02) } <= 1e-3)
        #expect(minimize(.quadratic, steps: 300) { SGD(parameters: $0, learningRate: 0.01, momentum: 0.9, nesterov: true) } <= 1e-3)
        #expect(minimize(.rosenbrock, steps: 4000) { SGD(parameters: $0, learningRate: 1e-3, momentum: 0.9) } <= 1e-2)
        #expect(minimize(.rosenbrock, steps: 4000) {
            SGD(parameters: $0, learningRate: 1e-3, momentum: 0.9, nesterov: true)
        } <= 1e-2)
    }

    @Test func adamVariants() {
        #expect(minimize(.quadratic, steps: 1500, schedule: CosineAnnealing(base: 0.1, steps: 1500)) {
            Adam(parameters: $0, learningRate: 0.1)
        } <= 1e-3)
        #expect(minimize(.rosenbrock, steps: 3000) { Adam(parameters: $0, learningRate: 0.05) } <= 1e-2)
        #expect(minimize(.rosenbrock, steps: 3000) { Adam(parameters: $0, learningRate: 0.05, amsgrad: true) } <= 1e-2)
    }

    @Test func adamW() {
        // A small decoupled decay: it shifts the fixed point by far less than the tolerance.
        #expect(minimize(.quadratic, steps: 1500, schedule: CosineAnnealing(base: 0.1, steps: 1500)) {
            AdamW(parameters: $0, learningRate: 0.1, weightDecay: 1e-4)
        } <= 1e-3)
        #expect(minimize(.rosenbrock, steps: 3000) { AdamW(parameters: $0, learningRate: 0.05, weightDecay: 1e-4) } <= 1e-2)
    }

    @Test func rmsPropVariants() {
        #expect(minimize(.quadratic, steps: 1500, schedule: CosineAnnealing(base: 0.05, steps: 1500)) {
            RMSProp(parameters: $0, learningRate: 0.05)
        } <= 1e-3)
        #expect(minimize(.rosenbrock, steps: 3000, schedule: CosineAnnealing(base: 0.002, steps: 3000)) {
            RMSProp(parameters: $0, learningRate: 0.002, momentum: 0.5, centered: true)
        } <= 1e-2)
    }

    @Test func adagrad() {
        #expect(minimize(.quadratic, steps: 1000) { Adagrad(parameters: $0, learningRate: 0.5) } <= 1e-3)
        #expect(minimize(.rosenbrock, steps: 8000) { Adagrad(parameters: $0, learningRate: 0.5) } <= 1e-2)
    }
}
