import FathomTestSupport
import Foundation
import Testing
import Tensor

@Suite("LinearAlgebra: determinant")
struct LinearAlgebraDeterminantTests {
    /// Rank 2: the third row is the sum of the first two (its LU meets an exact zero pivot).
    static let singular = Tensor(shape: [3, 3], scalars: [1, 2, 0, 0, 1, 3, 1, 3, 3])

    @Test func matchesNumPy() {
        // python3 -c "import numpy as np; print(np.linalg.det([[4,-2,1],[3,6,-4],[2,1,8]]))"  → 263
        let a = Tensor(shape: [3, 3], scalars: [4, -2, 1, 3, 6, -4, 2, 1, 8])
        expectTensor(a.determinant(), shape: [], [263], relative: 1e-6)
        // python3 -c "import numpy as np; print(np.linalg.det([[0,2,1,-1],[3,1,0,2],[1,-1,4,0],[2,0,1,3]]))"  → -48
        // (a zero first pivot: the sign must come from the row interchanges)
        let b = Tensor(shape: [4, 4], scalars: [0, 2, 1, -1, 3, 1, 0, 2, 1, -1, 4, 0, 2, 0, 1, 3])
        expectTensor(b.determinant(), shape: [], [-48], relative: 1e-6)
    }

    @Test func logAbsDeterminantMatchesNumPy() {
        // python3 -c "import numpy as np; print(np.linalg.slogdet([[0,2,1,-1],[3,1,0,2],[1,-1,4,0],[2,0,1,3]]))"
        // → sign -1, logabsdet 3.8712010109078916
        let b = Tensor(shape: [4, 4], scalars: [0, 2, 1, -1, 3, 1, 0, 2, 1, -1, 4, 0, 2, 0, 1, 3])
        expectTensor(b.logAbsDeterminant(), shape: [], [3.8712010109078916], relative: 1e-6)
    }

    @Test func logAbsDeterminantStaysFiniteWhereTheDeterminantOverflows() {
        // det(10·I₅₀) = 1e50 overflows Float; log |det| = 50·ln 10 = 115.129254649702.
        let a = Tensor.eye(50) * 10
        #expect(a.determinant().scalar == .infinity)
        expectTensor(a.logAbsDeterminant(), shape: [], [115.129254649702], relative: 1e-6)
    }

    @Test func singularMatrixHasDeterminantZeroWithoutThrowing() {
        #expect(Self.singular.determinant().scalar == 0)
        #expect(Self.singular.logAbsDeterminant().scalar == -.infinity)
    }

    @Test func batchedDeterminantsAreMultiplicativeAndTransposeInvariant() {
        let a = LinAlgTestSupport.random([4, 3, 5, 5], seed: 30)
        let b = LinAlgTestSupport.random([4, 3, 5, 5], seed: 31)
        let (da, db) = (a.determinant(), b.determinant())
        #expect(da.shape == [4, 3])
        let product = Tensor.matmul(a, b).determinant()
        expectTensor(product, da * db, absolute: 1e-3, relative: 1e-3)
        expectTensor(a.transposed().determinant(), da, absolute: 1e-4, relative: 1e-4)
        // log |det| agrees with the determinant.
        expectTensor(a.logAbsDeterminant(), da.abs().log(), absolute: 1e-4, relative: 1e-4)
    }

    @Test func emptyMatrixHasDeterminantOne() {
        expectTensor(Tensor(shape: [0, 0], scalars: []).determinant(), shape: [], [1])
    }

    @Test func nanGivesNaN() {
        let a = Tensor(shape: [2, 2, 2], scalars: [1, .nan, 0, 1, 2, 0, 0, 3])
        let det = a.determinant().scalars
        #expect(det[0].isNaN)
        #expect(det[1] == 6)
    }

    @Test func gradientMatchesFiniteDifferences() {
        let a = LinAlgTestSupport.wellConditioned([2], n: 3, seed: 32)
        checkGradients(of: { $0[0].determinant() }, at: [a], tolerance: LinAlgTestSupport.gradientTolerance)
    }

    @Test func gradientAtASingularMatrixIsTheCofactorMatrix() throws {
        // The determinant is a polynomial, differentiable everywhere; its gradient at a singular
        // matrix is the cofactor matrix, which no inverse can give.
        // python3 -c "import numpy as np; S=np.array([[1,2,0],[0,1,3],[1,3,3.]]);
        //   print([[(-1)**(i+j)*np.linalg.det(np.delete(np.delete(S,i,0),j,1)) for j in range(3)] for i in range(3)])"
        let x = Self.singular.requiringGradient()
        x.determinant().backward()
        expectTensor(try #require(x.grad), shape: [3, 3], [-6, 3, -1, -6, 3, -1, 6, -3, 1], absolute: 1e-4, relative: 1e-4)
        // A batch mixing a regular and a singular matrix, against finite differences.
        let batch = Tensor.concatenate([LinAlgTestSupport.wellConditioned([1], n: 3, seed: 33),
                                        Self.singular.unsqueezed(at: 0)], alongAxis: 0)
        checkGradients(of: { $0[0].determinant() }, at: [batch], tolerance: LinAlgTestSupport.gradientTolerance)
    }

    @Test func logAbsDeterminantGradientMatchesFiniteDifferences() {
        let a = LinAlgTestSupport.wellConditioned([2], n: 4, seed: 34)
        checkGradients(of: { $0[0].logAbsDeterminant() }, at: [a], tolerance: LinAlgTestSupport.gradientTolerance)
    }

    @Test func compositeLogOfAbsoluteDeterminantMatchesFiniteDifferencesAndTheFusedOp() throws {
        // Negative determinants included: the second matrix has its first two rows swapped.
        var a = LinAlgTestSupport.wellConditioned([2], n: 3, seed: 35)
        a = Tensor.concatenate([a.slice(alongAxis: 0, start: 0, end: 1),
                                a.slice(alongAxis: 0, start: 1, end: 2).permutedRows([1, 0, 2])], alongAxis: 0)
        #expect(a.determinant().scalars[1] < 0)
        checkGradients(of: { $0[0].determinant().abs().log() }, at: [a], tolerance: LinAlgTestSupport.gradientTolerance)
        let (x, y) = (a.requiringGradient(), a.requiringGradient())
        x.determinant().abs().log().sum().backward()
        y.logAbsDeterminant().sum().backward()
        expectTensor(try #require(x.grad), try #require(y.grad), absolute: 1e-5, relative: 1e-4)
    }
}

extension Tensor {
    /// The rows of the last-but-one axis in the order `rows` (test helper, no tape).
    fileprivate func permutedRows(_ rows: [Int]) -> Tensor {
        Tensor.concatenate(rows.map { slice(alongAxis: -2, start: $0, end: $0 + 1) }, alongAxis: -2)
    }
}
