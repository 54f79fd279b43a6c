import Testing
import Tensor

@Suite("LinearAlgebra: symmetric eigendecomposition")
struct LinearAlgebraSymmetricEigenTests {
    @Test func eigenvaluesMatchNumPy() throws {
        // python3 -c "import numpy as np; print(np.linalg.eigh([[2,-1,0],[-1,2,-1],[0,-1,2]])[0])"
        // → [0.585786438 2. 3.414213562] (2 − √2, 2, 2 + √2)
        let a = Tensor(shape: [3, 3], scalars: [2, -1, 0, -1, 2, -1, 0, -1, 2])
        expectTensor(try a.symmetricEigen().eigenvalues, shape: [3], [0.585786438, 2, 3.414213562], absolute: 1e-5)
    }

    @Test func eigenvectorsMatchNumPyUpToSign() throws {
        // python3 -c "import numpy as np; w, v = np.linalg.eigh([[4,1,-2,2],[1,2,0,1],[-2,0,3,-2],[2,1,-2,-1]]); print(w, v)"
        let a = Tensor(shape: [4, 4], scalars: [4, 1, -2, 2, 1, 2, 0, 1, -2, 0, 3, -2, 2, 1, -2, -1])
        let (values, vectors) = try a.symmetricEigen()
        expectTensor(values, shape: [4], [-2.197516977, 1.084364464, 2.268531406, 6.844621107], absolute: 1e-5)
        let reference: [[Float]] = [[-0.176705171, -0.642260007, -0.201711097, -0.718045959],
                                    [-0.17810047, 0.544187848, -0.789449912, -0.221152988],
                                    [0.287668034, -0.520221851, -0.579634169, 0.557351377],
                                    [0.924284917, 0.143982275, -0.010280999, -0.353356475]]
        for column in 0..<4 {
            let v = (0..<4).map { vectors[$0, column] }, r = (0..<4).map { reference[$0][column] }
            let sign: Float = zip(v, r).map(*).reduce(0, +) < 0 ? -1 : 1
            for i in 0..<4 { #expect(abs(sign * v[i] - r[i]) < 1e-4, "eigenvector \(column), component \(i)") }
        }
    }

    @Test func batchedDecompositionSatisfiesAVEqualsVLambda() throws {
        let a = LinAlgTestSupport.symmetric([2, 3], n: 6, seed: 70)
        let (values, vectors) = try a.symmetricEigen()
        #expect(values.shape == [2, 3, 6] && vectors.shape == [2, 3, 6, 6])
        expectTensor(Tensor.matmul(a, vectors), LinAlgTestSupport.scaledColumns(vectors, values), absolute: 1e-5)
        expectTensor(Tensor.matmul(vectors, vectors, transposingA: true), LinAlgTestSupport.identity([2, 3], n: 6),
                     absolute: 1e-5)
        let w = values.scalars
        for row in 0..<6 { for j in 1..<6 { #expect(w[row * 6 + j - 1] <= w[row * 6 + j]) } }
    }

    @Test func onlyTheLowerTriangleIsRead() throws {
        let a = LinAlgTestSupport.symmetric([], n: 4, seed: 71)
        var garbage = a
        garbage[0, 3] = 1000
        expectTensor(try garbage.symmetricEigen().eigenvalues, try a.symmetricEigen().eigenvalues)
    }

    @Test func resultsAreDetachedFromTheTape() throws {
        let (values, vectors) = try LinAlgTestSupport.symmetric([], n: 3, seed: 72).requiringGradient().symmetricEigen()
        #expect(!values.requiresGradient && !vectors.requiresGradient)
    }
}
