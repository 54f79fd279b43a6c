import Testing
import Tensor

@Suite("LinearAlgebra: Cholesky")
struct LinearAlgebraCholeskyTests {
    /// The textbook example, whose factor is integral.
    static let a = Tensor(shape: [3, 3], scalars: [4, 12, -16, 12, 37, -43, -16, -43, 98])

    @Test func lowerFactorMatchesNumPy() throws {
        // python3 -c "import numpy as np; print(np.linalg.cholesky([[4,12,-16],[12,37,-43],[-16,-43,98]]))"
        expectTensor(try Self.a.cholesky(), shape: [3, 3], [2, 0, 0, 6, 1, 0, -8, 5, 3], absolute: 1e-5)
    }

    @Test func upperFactorIsTheTransposeOfTheLower() throws {
        expectTensor(try Self.a.cholesky(upper: true), shape: [3, 3], [2, 6, -8, 0, 1, 5, 0, 0, 3], absolute: 1e-5)
    }

    @Test func batchedFactorsReproduceTheMatricesAndAreTriangular() throws {
        let a = LinAlgTestSupport.positiveDefinite([3, 2], n: 5, seed: 40)
        let l = try a.cholesky()
        let u = try a.cholesky(upper: true)
        expectTensor(Tensor.matmul(l, l, transposingB: true), a, absolute: 1e-4, relative: 1e-5)
        expectTensor(Tensor.matmul(u, u, transposingA: true), a, absolute: 1e-4, relative: 1e-5)
        for i in 0..<5 {
            for j in 0..<5 where j > i {
                #expect(l.slice(alongAxis: -2, start: i, end: i + 1).slice(alongAxis: -1, start: j, end: j + 1)
                    .scalars.allSatisfy { $0 == 0 })
                #expect(u.slice(alongAxis: -2, start: j, end: j + 1).slice(alongAxis: -1, start: i, end: i + 1)
                    .scalars.allSatisfy { $0 == 0 })
            }
        }
    }

    @Test func onlyTheFactoredTriangleIsRead() throws {
        var garbage = Self.a
        garbage[0, 2] = 1000  // above the diagonal: ignored by the lower factorization
        expectTensor(try garbage.cholesky(), try Self.a.cholesky())
    }

    @Test func indefiniteMatrixThrowsNamingOpBatchIndexAndMinor() {
        // The second matrix has eigenvalues 3 and -1: its leading minor of order 2 is -3.
        let a = Tensor(shape: [2, 2, 2], scalars: [2, 0, 0, 2, 1, 2, 2, 1])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(op: "cholesky", batchIndex: 1, minor: 2)) {
            try a.cholesky()
        }
    }

    @Test func resultIsDetachedFromTheTape() throws {
        #expect(try !Self.a.requiringGradient().cholesky().requiresGradient)
    }
}
