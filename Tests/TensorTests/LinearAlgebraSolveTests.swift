import FathomTestSupport
import Testing
import Tensor

@Suite("LinearAlgebra: solve")
struct LinearAlgebraSolveTests {
    /// A fixed, well-conditioned 3×3 system (det 263).
    static let a = Tensor(shape: [3, 3], scalars: [4, -2, 1, 3, 6, -4, 2, 1, 8])

    @Test func vectorRightHandSideMatchesNumPy() throws {
        // python3 -c "import numpy as np; print(np.linalg.solve([[4,-2,1],[3,6,-4],[2,1,8]], [12,-25,32]))"
        // → [ 1. -2.  4.]
        let x = try Tensor.solve(Self.a, Tensor([12, -25, 32]))
        expectTensor(x, shape: [3], [1, -2, 4], absolute: 1e-5)
    }

    @Test func matrixRightHandSideMatchesNumPy() throws {
        // python3 -c "import numpy as np; print(np.linalg.solve([[4,-2,1],[3,6,-4],[2,1,8]], [[1,2],[0,-1],[3,0.5]]))"
        let b = Tensor(shape: [3, 2], scalars: [1, 2, 0, -1, 3, 0.5])
        let x = try Tensor.solve(Self.a, b)
        expectTensor(x, shape: [3, 2], [0.220532319, 0.33460076, 0.095057034, -0.321292776, 0.307984791, 0.019011407],
                     absolute: 1e-6, relative: 1e-5)
    }

    @Test func batchedSystemsWithBroadcastBatchAxesSatisfyAXEqualsB() throws {
        let a = LinAlgTestSupport.wellConditioned([2, 3], n: 5, seed: 1)
        let b = LinAlgTestSupport.random([3, 5, 2], seed: 2)
        let x = try Tensor.solve(a, b)
        #expect(x.shape == [2, 3, 5, 2])
        expectTensor(Tensor.matmul(a, x), b.expanded(to: [2, 3, 5, 2]), absolute: 1e-5, relative: 1e-4)
    }

    @Test func oneMatrixSolvesManyRightHandSides() throws {
        let a = LinAlgTestSupport.wellConditioned([], n: 4, seed: 3)
        let b = LinAlgTestSupport.random([6, 4, 3], seed: 4)
        let x = try Tensor.solve(a, b)
        #expect(x.shape == [6, 4, 3])
        expectTensor(Tensor.matmul(a, x), b, absolute: 1e-5, relative: 1e-4)
    }

    @Test func stackOfVectorsGivesStackOfVectors() throws {
        let a = LinAlgTestSupport.wellConditioned([5], n: 4, seed: 5)
        let b = LinAlgTestSupport.random([5, 4], seed: 6)
        let x = try Tensor.solve(a, b)
        #expect(x.shape == [5, 4])
        expectTensor(Tensor.matmul(a, x.unsqueezed(at: -1)).squeezed(axes: [-1]), b, absolute: 1e-5, relative: 1e-4)
        // One vector against a stack of matrices broadcasts too.
        let y = try Tensor.solve(a, Tensor([1, 2, 3, 4]))
        #expect(y.shape == [5, 4])
        expectTensor(y.slice(alongAxis: 0, start: 2, end: 3).squeezed(axes: [0]),
                     try Tensor.solve(a.slice(alongAxis: 0, start: 2, end: 3).squeezed(axes: [0]), Tensor([1, 2, 3, 4])))
    }

    @Test func singularMatrixThrowsNamingOpAndBatchIndex() {
        // The second matrix has proportional rows; its LU meets an exactly zero second pivot.
        let a = Tensor(shape: [2, 2, 2], scalars: [1, 0, 0, 1, 1, 2, 2, 4])
        #expect(throws: LinearAlgebraError.singular(op: "solve", batchIndex: 1, pivot: 2)) {
            try Tensor.solve(a, Tensor(shape: [2, 2], scalars: [1, 1, 1, 1]))
        }
    }

    @Test func nanInTheRightHandSideGivesNaNForThatSystemOnly() throws {
        let a = LinAlgTestSupport.wellConditioned([2], n: 3, seed: 7)
        let b = Tensor(shape: [2, 3], scalars: [1, .nan, 2, 1, 2, 3])
        let x = try Tensor.solve(a, b)
        #expect(x.slice(alongAxis: 0, start: 0, end: 1).scalars.allSatisfy { $0.isNaN })
        #expect(x.slice(alongAxis: 0, start: 1, end: 2).scalars.allSatisfy { $0.isFinite })
    }

    @Test func gradientsWithMatrixRightHandSideMatchFiniteDifferences() {
        let a = LinAlgTestSupport.wellConditioned([2], n: 3, seed: 8)
        let b = LinAlgTestSupport.random([2, 3, 2], seed: 9)
        checkGradients(of: LinAlgTestSupport.failingOnError { try Tensor.solve($0[0], $0[1]) }, at: [a, b],
                           tolerance: LinAlgTestSupport.gradientTolerance)
    }

    @Test func gradientsWithVectorRightHandSideMatchFiniteDifferences() {
        let a = LinAlgTestSupport.wellConditioned([2], n: 3, seed: 10)
        let b = LinAlgTestSupport.random([2, 3], seed: 11)
        checkGradients(of: LinAlgTestSupport.failingOnError { try Tensor.solve($0[0], $0[1]) }, at: [a, b],
                           tolerance: LinAlgTestSupport.gradientTolerance)
    }

    @Test func gradientsThroughBroadcastBatchAxesMatchFiniteDifferences() {
        let a = LinAlgTestSupport.wellConditioned([], n: 3, seed: 12)
        let b = LinAlgTestSupport.random([2, 3, 2], seed: 13)
        checkGradients(of: LinAlgTestSupport.failingOnError { try Tensor.solve($0[0], $0[1]) }, at: [a, b],
                           tolerance: LinAlgTestSupport.gradientTolerance)
        checkGradients(of: LinAlgTestSupport.failingOnError { try Tensor.solve($0[1], $0[0]) },
                           at: [LinAlgTestSupport.random([3], seed: 14), LinAlgTestSupport.wellConditioned([2], n: 3, seed: 15)],
                           tolerance: LinAlgTestSupport.gradientTolerance)
    }
}
