import FathomTestSupport
import Testing
import Tensor

@Suite("LinearAlgebra: inverse")
struct LinearAlgebraInverseTests {
    @Test func matchesNumPy() throws {
        // python3 -c "import numpy as np; print(np.linalg.inv([[4,-2,1],[3,6,-4],[2,1,8]]))"
        let a = Tensor(shape: [3, 3], scalars: [4, -2, 1, 3, 6, -4, 2, 1, 8])
        expectTensor(try a.inverse(), shape: [3, 3],
                     [0.197718631, 0.064638783, 0.007604563,
                      -0.121673004, 0.114068441, 0.072243346,
                      -0.034220532, -0.030418251, 0.114068441],
                     absolute: 1e-6, relative: 1e-5)
    }

    @Test func productWithTheMatrixIsTheIdentityOnBothSides() throws {
        let a = LinAlgTestSupport.wellConditioned([3, 2], n: 6, seed: 20)
        let inverse = try a.inverse()
        #expect(inverse.shape == [3, 2, 6, 6])
        let identity = LinAlgTestSupport.identity([3, 2], n: 6)
        expectTensor(Tensor.matmul(a, inverse), identity, absolute: 1e-5)
        expectTensor(Tensor.matmul(inverse, a), identity, absolute: 1e-5)
    }

    @Test func largeBatchOfSmallMatricesIsSplitAcrossCoresCorrectly() throws {
        // 3000 4×4 matrices: enough for the batch to be split into chunks.
        let a = LinAlgTestSupport.wellConditioned([3000], n: 4, seed: 21)
        let inverse = try a.inverse()
        // A few thousand random matrices include some less well conditioned ones.
        expectTensor(Tensor.matmul(a, inverse), LinAlgTestSupport.identity([3000], n: 4), absolute: 1e-4)
        // Each matrix of the batch gets exactly what it gets alone.
        for i in stride(from: 0, to: 3000, by: 97) {
            let alone = try a.slice(alongAxis: 0, start: i, end: i + 1).squeezed(axes: [0]).inverse()
            expectTensor(inverse.slice(alongAxis: 0, start: i, end: i + 1).squeezed(axes: [0]), alone, absolute: 0, relative: 0)
        }
    }

    @Test func singularMatrixThrowsNamingOpAndBatchIndex() {
        var a = LinAlgTestSupport.wellConditioned([3], n: 3, seed: 22)
        // Matrix 2: the third row is the sum of the first two; in this integer matrix the LU
        // reaches an exactly zero third pivot.
        let singular: [Float] = [1, 2, 0, 0, 1, 3, 1, 3, 3]
        a.withUnsafeMutableBufferPointer { for i in 0..<9 { $0[18 + i] = singular[i] } }
        #expect(throws: LinearAlgebraError.singular(op: "inverse", batchIndex: 2, pivot: 3)) { try a.inverse() }
    }

    @Test func errorDescriptionNamesOpAndMatrix() {
        let error = LinearAlgebraError.singular(op: "inverse", batchIndex: 2, pivot: 3)
        #expect(error.description.contains("inverse"))
        #expect(error.description.contains("matrix 2"))
    }

    @Test func emptyMatricesHaveEmptyInverses() throws {
        #expect(try Tensor(shape: [2, 0, 0], scalars: []).inverse().shape == [2, 0, 0])
    }

    @Test func gradientMatchesFiniteDifferences() {
        let a = LinAlgTestSupport.wellConditioned([2], n: 3, seed: 23)
        checkGradients(of: LinAlgTestSupport.failingOnError { try $0[0].inverse() }, at: [a],
                           tolerance: LinAlgTestSupport.gradientTolerance)
    }

    @Test func gradientThroughACompositeMatchesFiniteDifferences() {
        // inv(A)·B feeds a later op: the rule must compose with matmul's.
        let a = LinAlgTestSupport.wellConditioned([], n: 4, seed: 24)
        let b = LinAlgTestSupport.random([4, 2], seed: 25)
        checkGradients(of: LinAlgTestSupport.failingOnError { Tensor.matmul(try $0[0].inverse(), $0[1]).squared() },
                           at: [a, b], tolerance: LinAlgTestSupport.gradientTolerance)
    }
}
