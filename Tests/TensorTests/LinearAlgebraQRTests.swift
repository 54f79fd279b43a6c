import Testing
import Tensor

@Suite("LinearAlgebra: QR")
struct LinearAlgebraQRTests {
    @Test func matchesNumPy() {
        // python3 -c "import numpy as np; q, r = np.linalg.qr([[12,-51,4],[6,167,-68],[-4,24,-41],[2,-3,5]]); print(q, r)"
        // (NumPy runs the same Householder algorithm, so the signs agree too.)
        let a = Tensor(shape: [4, 3], scalars: [12, -51, 4, 6, 167, -68, -4, 24, -41, 2, -3, 5])
        let (q, r) = a.qr()
        expectTensor(q, shape: [4, 3], [-0.848528137, 0.389946884, -0.346008034,
                                        -0.424264069, -0.904393505, 0.030137779,
                                        0.282842712, -0.169959274, -0.929028565,
                                        -0.141421356, 0.033580663, 0.127577739], absolute: 1e-5)
        expectTensor(r, shape: [3, 3], [-14.142135624, -20.364675298, 13.15218613,
                                        0, -175.100770986, 70.194779445,
                                        0, 0, 35.294658784], absolute: 1e-4, relative: 1e-5)
    }

    @Test(arguments: [[3, 7, 4], [2, 3, 6], [5, 5]])
    func factorsReproduceTheMatrixWithOrthonormalQAndTriangularR(shape: [Int]) {
        let a = LinAlgTestSupport.random(shape, seed: 50)
        let (m, n) = (shape[shape.count - 2], shape[shape.count - 1])
        let k = min(m, n), batch = Array(shape.dropLast(2))
        let (q, r) = a.qr()
        #expect(q.shape == batch + [m, k])
        #expect(r.shape == batch + [k, n])
        expectTensor(Tensor.matmul(q, r), a, absolute: 1e-5, relative: 1e-5)
        expectTensor(Tensor.matmul(q, q, transposingA: true), LinAlgTestSupport.identity(batch, n: k), absolute: 1e-5)
        // Below the diagonal, R is exactly zero.
        let lowerMask = Tensor(shape: [k, n]) { out in
            for i in 0..<k { for j in 0..<n { out[i * n + j] = j < i ? 1 : 0 } }
        }
        #expect((r * lowerMask).scalars.allSatisfy { $0 == 0 })
    }

    @Test func resultsAreDetachedFromTheTape() {
        let (q, r) = LinAlgTestSupport.random([3, 3], seed: 51).requiringGradient().qr()
        #expect(!q.requiresGradient && !r.requiresGradient)
    }
}
