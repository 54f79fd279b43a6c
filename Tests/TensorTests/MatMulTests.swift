import FathomTestSupport
import Testing
import Tensor

/// matmul in every form (2-D, vectors, batched with broadcast batch axes, transposition
/// flags, size-0 dimensions) against a Double triple loop, with gradients; and GEMM itself.
@Suite struct MatMulTests {
    /// `op(a) · op(b)` by the definition, batched and broadcast like NumPy, in Double.
    static func reference(_ a: Tensor, _ b: Tensor, transposingA ta: Bool = false, transposingB tb: Bool = false) -> Tensor {
        var a = a, b = b
        let vectorA = a.rank == 1, vectorB = b.rank == 1
        if vectorA { a = a.reshaped(to: [1, a.shape[0]]) }
        if vectorB { b = b.reshaped(to: [b.shape[0], 1]) }
        let (ar, br) = (a.rank, b.rank)
        let m = ta && !vectorA ? a.shape[ar - 1] : a.shape[ar - 2]
        let k = ta && !vectorA ? a.shape[ar - 2] : a.shape[ar - 1]
        let n = tb && !vectorB ? b.shape[br - 2] : b.shape[br - 1]
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        let batch = Shape.broadcast(batchA, batchB, op: "reference")
        let count = batch.reduce(1, *)
        let (va, vb) = (a.scalars, b.scalars)
        var out = [Float](repeating: 0, count: count * m * n)
        func batchOffset(_ index: Int, _ own: [Int]) -> Int {
            // Position of this batch index in a (possibly broadcast) operand's batch.
            var rest = index, offset = 0, step = 1
            let pad = batch.count - own.count
            for axis in stride(from: batch.count - 1, through: 0, by: -1) {
                let i = rest % batch[axis]
                rest /= batch[axis]
                if axis >= pad {
                    let size = own[axis - pad]
                    if size != 1 { offset += i * step }
                    step *= size
                }
            }
            return offset
        }
        for p in 0..<count {
            let baseA = batchOffset(p, batchA) * m * k, baseB = batchOffset(p, batchB) * k * n
            for i in 0..<m {
                for j in 0..<n {
                    var total = 0.0
                    for l in 0..<k {
                        let x = va[baseA + (ta && !vectorA ? l * m + i : i * k + l)]
                        let y = vb[baseB + (tb && !vectorB ? j * k + l : l * n + j)]
                        total += Double(x) * Double(y)
                    }
                    out[(p * m + i) * n + j] = Float(total)
                }
            }
        }
        var shape = batch + [m, n]
        if vectorB { shape.removeLast() }
        if vectorA { shape.remove(at: shape.count - (vectorB ? 1 : 2)) }
        return Tensor(shape: shape, scalars: out)
    }

    /// (shape of a, shape of b, transposingA, transposingB, expected shape)
    static let cases: [([Int], [Int], Bool, Bool, [Int])] = [
        ([3, 4], [4, 5], false, false, [3, 5]),
        ([4, 3], [4, 5], true, false, [3, 5]),
        ([3, 4], [5, 4], false, true, [3, 5]),
        ([4, 3], [5, 4], true, true, [3, 5]),
        ([4], [4, 5], false, false, [5]),
        ([3, 4], [4], false, false, [3]),
        ([4], [4], false, false, []),
        ([4], [5, 4], false, true, [5]),
        ([4, 3], [4], true, false, [3]),
        ([2, 3, 4], [2, 4, 5], false, false, [2, 3, 5]),
        ([2, 3, 4], [4, 5], false, false, [2, 3, 5]),  // one large GEMM
        ([2, 3, 4], [5, 4], false, true, [2, 3, 5]),
        ([3, 4], [2, 4, 5], false, false, [2, 3, 5]),
        ([2, 1, 3, 4], [3, 4, 5], false, false, [2, 3, 3, 5]),
        ([2, 1, 4, 3], [1, 2, 5, 4], true, true, [2, 2, 3, 5]),
        ([1, 3, 4], [2, 4, 5], false, false, [2, 3, 5]),
        ([2, 3, 4], [1, 1, 4, 5], false, false, [1, 2, 3, 5]),
        ([2, 3, 4], [4], false, false, [2, 3]),
        ([4], [2, 4, 5], false, false, [2, 5]),
    ]

    @Test(arguments: cases)
    func valuesMatchTheReference(_ shapeA: [Int], _ shapeB: [Int], _ ta: Bool, _ tb: Bool, _ expected: [Int]) {
        let a = seededUniform(shapeA, seed: 121), b = seededUniform(shapeB, seed: 122)
        let y = Tensor.matmul(a, b, transposingA: ta, transposingB: tb)
        #expect(y.shape == expected)
        expectTensor(y, Self.reference(a, b, transposingA: ta, transposingB: tb), absolute: 1e-5, relative: 1e-5)
    }

    @Test(arguments: cases)
    func gradientsMatchCentralDifferences(_ shapeA: [Int], _ shapeB: [Int], _ ta: Bool, _ tb: Bool, _ expected: [Int]) {
        let a = seededUniform(shapeA, seed: 123), b = seededUniform(shapeB, seed: 124)
        checkGradient(of: { Tensor.matmul($0, $1, transposingA: ta, transposingB: tb) }, at: a, b)
    }

    @Test func handWorkedProduct() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
        expectTensor(a.matmul(b), shape: [2, 2], [58, 64, 139, 154])
        expectTensor(Tensor.matmul(Tensor([1, 2, 3]), Tensor([4, 5, 6])), shape: [], [32])
        expectTensor(Tensor.matmul(a, Tensor.eye(3)), a)
    }

    @Test func sizeZeroDimensions() throws {
        // An empty inner dimension gives zeros (an empty sum), not garbage.
        let a = Tensor.zeros([3, 0]).requiringGradient(), b = Tensor.zeros([0, 2]).requiringGradient()
        let y = Tensor.matmul(a, b)
        expectTensor(y, shape: [3, 2], [0, 0, 0, 0, 0, 0])
        y.sum().backward()
        #expect(try #require(a.grad).shape == [3, 0])
        #expect(try #require(b.grad).shape == [0, 2])
        // The inner dimension may also be empty with transposition and batches.
        let t = Tensor.matmul(Tensor.zeros([2, 0, 3]), Tensor.zeros([2, 4, 0]), transposingA: true, transposingB: true)
        expectTensor(t, Tensor.zeros([2, 3, 4]))
        #expect(Tensor.matmul(Tensor.zeros([0, 4]), Tensor.ones([4, 5])).shape == [0, 5])
        #expect(Tensor.matmul(Tensor.ones([3, 4]), Tensor.zeros([4, 0])).shape == [3, 0])
        #expect(Tensor.matmul(Tensor.zeros([0, 3, 4]), Tensor.ones([4, 2])).shape == [0, 3, 2])
    }

    @Test func gemmWithEmptyInnerDimensionWritesOnlyC() {
        // k = 0 with a leading dimension wider than C: only the m×n block is set, the
        // elements between and after its rows are left alone.
        let sentinel: Float = 7
        var c: [Float] = [1, 2, sentinel, 3, 4, sentinel]
        let empty: [Float] = [0]
        empty.withUnsafeBufferPointer { p in
            c.withUnsafeMutableBufferPointer { pc in
                GEMM.multiply(p.baseAddress!, transposingA: false, p.baseAddress!, transposingB: false,
                              into: pc.baseAddress!, m: 2, n: 2, k: 0, beta: 0, ldc: 3)
            }
        }
        #expect(c == [0, 0, sentinel, 0, 0, sentinel])
        var d: [Float] = [1, 2, sentinel, 3, 4, sentinel]
        empty.withUnsafeBufferPointer { p in
            d.withUnsafeMutableBufferPointer { pd in
                GEMM.multiply(p.baseAddress!, transposingA: false, p.baseAddress!, transposingB: false,
                              into: pd.baseAddress!, m: 2, n: 2, k: 0, beta: 0.5, ldc: 3)
            }
        }
        #expect(d == [0.5, 1, sentinel, 1.5, 2, sentinel])
    }

    @Test func largeProductMatchesTheReference() {
        let a = seededUniform([67, 129], seed: 125), b = seededUniform([129, 33], seed: 126)
        expectTensor(Tensor.matmul(a, b), Self.reference(a, b), absolute: 1e-4, relative: 1e-4)
    }

    @Test func gemmWithStridesAndAccumulation() {
        // C (2×2, leading dimension 3) = 2·A·Bᵀ + 1·C, A 2×2 inside rows of 3, B 2×2.
        let a: [Float] = [1, 2, -1, 3, 4, -1]
        let b: [Float] = [1, 0, 1, 1]
        var c: [Float] = [10, 20, 99, 30, 40, 99]
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    GEMM.multiply(pa.baseAddress!, transposingA: false, pb.baseAddress!, transposingB: true,
                                  into: pc.baseAddress!, m: 2, n: 2, k: 2, alpha: 2, beta: 1, lda: 3, ldc: 3)
                }
            }
        }
        // A·Bᵀ = [[1, 3], [3, 7]].
        #expect(c == [12, 26, 99, 36, 54, 99])
    }
}
