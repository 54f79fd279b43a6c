// Matrix multiplication, batched over leading axes with NumPy broadcasting, through
// `cblas_sgemm`. Rank-1 operands are treated as a row (left) or a column (right) vector and
// the added axis is removed again, as in NumPy.

extension Tensor {
    /// The matrix product `op(a) · op(b)`, where `op` transposes the last two axes when asked.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposingA: Bool = false, transposingB: Bool = false) -> Tensor {
        if a.rank == 1 || b.rank == 1 {
            precondition(a.rank >= 1 && b.rank >= 1, "matmul: operands of shape \(a.shape) and \(b.shape) must have rank ≥ 1")
            let a2 = a.rank == 1 ? a.unsqueezed(at: 0) : a
            let b2 = b.rank == 1 ? b.unsqueezed(at: 1) : b
            var y = matmul(a2, b2, transposingA: a.rank == 1 ? false : transposingA,
                           transposingB: b.rank == 1 ? false : transposingB)
            if a.rank == 1 { y = y.squeezed(axes: [-2]) }
            if b.rank == 1 { y = y.squeezed(axes: [-1]) }
            return y
        }
        let y = batchedProduct(a.detached(), b.detached(), transposingA, transposingB)
        // A's gradient reads B and B's reads A: each is kept only when the other needs it.
        let keptA = saved(a, if: b.requiresGradient), keptB = saved(b, if: a.requiresGradient)
        let shapeA = a.shape, shapeB = b.shape
        return record("matmul", result: y, inputs: [a, b]) { g in
            // d op(A) = G · op(B)ᵀ and d op(B) = op(A)ᵀ · G, written with BLAS flags.
            let ga = keptB.map { bd in
                transposingA ? batchedProduct(bd, g, transposingB, true) : batchedProduct(g, bd, false, !transposingB)
            }
            let gb = keptA.map { ad in
                transposingB ? batchedProduct(g, ad, true, transposingA) : batchedProduct(ad, g, !transposingA, false)
            }
            return [ga?.sum(toShape: shapeA), gb?.sum(toShape: shapeB)]
        }
    }

    /// `a · b` (see ``matmul(_:_:transposingA:transposingB:)``).
    public func matmul(_ other: Tensor) -> Tensor { Tensor.matmul(self, other) }

    /// The product of two tensors of rank ≥ 2, with broadcast batch axes.
    static func batchedProduct(_ a: Tensor, _ b: Tensor, _ ta: Bool, _ tb: Bool) -> Tensor {
        let (ar, br) = (a.rank, b.rank)
        let m = ta ? a.shape[ar - 1] : a.shape[ar - 2]
        let k = ta ? a.shape[ar - 2] : a.shape[ar - 1]
        let kb = tb ? b.shape[br - 1] : b.shape[br - 2]
        let n = tb ? b.shape[br - 2] : b.shape[br - 1]
        precondition(k == kb, "matmul: inner dimensions differ: \(a.shape)\(ta ? "ᵀ" : "") · \(b.shape)\(tb ? "ᵀ" : "")")
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        let batch = Shape.broadcast(batchA, batchB, op: "matmul (batch axes of \(a.shape) and \(b.shape))")
        let batchCount = Shape.count(of: batch)
        return Tensor(shape: batch + [m, n]) { out in
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    let pa = pa.baseAddress!, pb = pb.baseAddress!, pc = out.baseAddress!
                    if batchB.allSatisfy({ $0 == 1 }) && !ta && batchA == batch {
                        // A stack of matrices times one matrix: one large GEMM with m·batch rows.
                        GEMM.multiply(pa, transposingA: false, pb, transposingB: tb, into: pc,
                                      m: m * batchCount, n: n, k: k)
                        return
                    }
                    let strideA = Shape.broadcastStrides(from: batchA, to: batch)
                    let strideB = Shape.broadcastStrides(from: batchB, to: batch)
                    let batchStrides = Shape.strides(of: batch)
                    for index in 0..<batchCount {
                        var offA = 0, offB = 0, rest = index
                        for axis in 0..<batch.count {
                            let i = rest / batchStrides[axis]
                            rest %= batchStrides[axis]
                            offA += i * strideA[axis]
                            offB += i * strideB[axis]
                        }
                        GEMM.multiply(pa + offA * m * k, transposingA: ta, pb + offB * k * n, transposingB: tb,
                                      into: pc + index * m * n, m: m, n: n, k: k)
                    }
                }
            }
        }
    }
}
