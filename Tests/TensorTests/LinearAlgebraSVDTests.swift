import Testing
import Tensor

@Suite("LinearAlgebra: SVD")
struct LinearAlgebraSVDTests {
    @Test func singularValuesMatchNumPy() throws {
        // python3 -c "import numpy as np; print(np.linalg.svd([[3,2,2],[2,3,-2]], compute_uv=False))"  → [5. 3.]
        let a = Tensor(shape: [2, 3], scalars: [3, 2, 2, 2, 3, -2])
        expectTensor(try a.singularValues(), shape: [2], [5, 3], absolute: 1e-5)
        // python3 -c "import numpy as np; print(np.linalg.svd([[1,2,3,4],[2,0,-1,1],[0,1,1,-2]], compute_uv=False))"
        let b = Tensor(shape: [3, 4], scalars: [1, 2, 3, 4, 2, 0, -1, 1, 0, 1, 1, -2])
        expectTensor(try b.singularValues(), shape: [3], [5.552004292, 2.85923912, 1.732050808], absolute: 1e-5)
        let (u, s, vt) = try b.svd()
        expectTensor(s, shape: [3], [5.552004292, 2.85923912, 1.732050808], absolute: 1e-5)
        expectTensor(Tensor.matmul(LinAlgTestSupport.scaledColumns(u, s), vt), b, absolute: 1e-5)
    }

    @Test(arguments: [[2, 6, 4], [3, 4, 7], [5, 5]])
    func reducedFactorsReproduceTheMatrix(shape: [Int]) throws {
        let a = LinAlgTestSupport.random(shape, seed: 60)
        let (m, n) = (shape[shape.count - 2], shape[shape.count - 1])
        let k = min(m, n), batch = Array(shape.dropLast(2))
        let (u, s, vt) = try a.svd()
        #expect(u.shape == batch + [m, k] && s.shape == batch + [k] && vt.shape == batch + [k, n])
        expectTensor(Tensor.matmul(LinAlgTestSupport.scaledColumns(u, s), vt), a, absolute: 1e-5, relative: 1e-5)
        let identity = LinAlgTestSupport.identity(batch, n: k)
        expectTensor(Tensor.matmul(u, u, transposingA: true), identity, absolute: 1e-5)
        expectTensor(Tensor.matmul(vt, vt, transposingB: true), identity, absolute: 1e-5)
        // Descending and non-negative.
        let values = s.reshaped(to: [-1, k]).scalars
        for row in 0..<(values.count / max(k, 1)) {
            for j in 0..<k {
                #expect(values[row * k + j] >= 0)
                if j > 0 { #expect(values[row * k + j - 1] >= values[row * k + j]) }
            }
        }
        expectTensor(try a.singularValues(), s, absolute: 1e-5)
    }

    @Test(arguments: [[2, 6, 4], [3, 4, 7]])
    func fullMatricesAreSquareOrthogonalBases(shape: [Int]) throws {
        let a = LinAlgTestSupport.random(shape, seed: 61)
        let (m, n) = (shape[1], shape[2])
        let k = min(m, n)
        let (u, s, vt) = try a.svd(fullMatrices: true)
        #expect(u.shape == [shape[0], m, m] && vt.shape == [shape[0], n, n])
        expectTensor(Tensor.matmul(u, u, transposingA: true), LinAlgTestSupport.identity([shape[0]], n: m), absolute: 1e-5)
        expectTensor(Tensor.matmul(vt, vt, transposingB: true), LinAlgTestSupport.identity([shape[0]], n: n), absolute: 1e-5)
        let reconstructed = Tensor.matmul(LinAlgTestSupport.scaledColumns(u.slice(alongAxis: -1, start: 0, end: k), s),
                                          vt.slice(alongAxis: -2, start: 0, end: k))
        expectTensor(reconstructed, a, absolute: 1e-5, relative: 1e-5)
    }

    @Test func resultsAreDetachedFromTheTape() throws {
        let (u, s, vt) = try LinAlgTestSupport.random([3, 3], seed: 62).requiringGradient().svd()
        #expect(!u.requiresGradient && !s.requiresGradient && !vt.requiresGradient)
    }
}
